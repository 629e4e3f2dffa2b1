/**
 * Apply a client's tar archive to a directory tree with the image unpacker's rules (server/images/store/
 * unpack-tree.ts: no absolute names, no `..` above the root, nothing written through a symlink leaving it),
 * entries placed below `prefix`. Streaming: one entry at a time. Names starting with `.wh.` are refused, since
 * in a layer they would mean deletions.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { WaltError } from "../../../src/errors.ts";
import type { Logger } from "../../../src/log.ts";
import type { FsCaps } from "../store/unpack-fs.ts";
import { TreeWriter } from "../store/unpack-tree.ts";

/** Apply the archive's entries below `prefix` (root-relative) with the unpacker's path safety. */
export async function extractUnder(root: string, prefix: string, imageName: string, body: ReadableStream<Uint8Array>, log: Logger): Promise<void> {
  const caps: FsCaps = { root: process.getuid?.() === 0, setfattr: Bun.which("setfattr"), log };
  const tree = new TreeWriter(root, imageName, caps);
  const under = (name: string): string => (prefix === "" ? name : `${prefix}/${name}`);
  const extract = tar.extract();
  const feed = pipeline(Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]), extract);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.name.split("/").some((c) => c.startsWith(".wh."))) {
        throw new WaltError("BAD_REQUEST", `Cannot copy '${h.name}': names starting with '.wh.' are reserved (OCI whiteouts).`);
      }
      h.name = under(h.name);
      if (h.type === "link" && h.linkname) h.linkname = under(h.linkname);
      await tree.entry(entry);
    }
    await feed;
  } catch (err) {
    extract.destroy();
    await feed.catch(() => undefined);
    throw err;
  }
  tree.finish();
}

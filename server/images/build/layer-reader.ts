/**
 * List the entries of a layer blob (gzip, zstd or plain tar), streaming. Used by tests and by the default-image
 * build to check what a layer holds; the store's unpacker (server/images/store/unpack.ts) is what applies layers.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { PassThrough, type Transform } from "node:stream";
import tar from "tar-stream";
import type { Header } from "tar-stream";

export interface LayerEntry {
  name: string;
  type: Header["type"];
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** sha256 hex of a regular file's content. */
  sha256?: string;
  /** The content itself, for the paths asked for. */
  content?: Uint8Array;
}

function decompressor(head: Uint8Array): Transform {
  if (head[0] === 0x1f && head[1] === 0x8b) return createGunzip();
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return createZstdDecompress();
  return new PassThrough();
}

/** Every entry of the layer at `path`; contents are kept for names in `keep` (paths without a leading slash). */
export async function readLayer(path: string, keep: ReadonlySet<string> = new Set()): Promise<LayerEntry[]> {
  const head = new Uint8Array(4);
  const fh = await Bun.file(path).slice(0, 4).arrayBuffer();
  head.set(new Uint8Array(fh));
  const entries: LayerEntry[] = [];
  const extract = tar.extract();
  extract.on("entry", (h, stream, next) => {
    const hash = createHash("sha256");
    const chunks: Uint8Array[] = [];
    const name = h.name.replace(/^\.\//, "");
    // tar-stream applies PAX path/linkpath itself and leaves the other records (uid, gid) in `pax`.
    const pax = h.pax as Record<string, string> | null | undefined;
    stream.on("data", (c: unknown) => {
      if (!(c instanceof Uint8Array)) return;
      hash.update(c);
      if (keep.has(name.replace(/\/$/, ""))) chunks.push(c);
    });
    stream.on("end", () => {
      entries.push({
        name,
        type: h.type ?? "file",
        mode: h.mode ?? 0,
        uid: pax?.["uid"] !== undefined ? Number(pax["uid"]) : (h.uid ?? 0),
        gid: pax?.["gid"] !== undefined ? Number(pax["gid"]) : (h.gid ?? 0),
        mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
        size: h.size ?? 0,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        ...(h.type === "character-device" || h.type === "block-device" ? { devmajor: h.devmajor ?? 0, devminor: h.devminor ?? 0 } : {}),
        ...(h.type === "file" ? { sha256: hash.digest("hex") } : {}),
        ...(chunks.length > 0 || keep.has(name) ? { content: Buffer.concat(chunks) } : {}),
      });
      next();
    });
    stream.resume();
  });
  await pipeline(createReadStream(path), decompressor(head), extract);
  return entries;
}

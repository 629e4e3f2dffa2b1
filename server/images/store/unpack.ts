/**
 * Layers → root filesystem, streaming: blob file → gunzip / zstd (node:zlib streams; Bun 1.4 has streaming
 * zstd in node:zlib) → tar-stream → one entry at a time (unpack-tree.ts), so no layer is ever held in memory.
 *
 * The tree is built in `<tmpRoot>/unpack-<random>` and renamed to `dest` only when complete, so `dest`
 * either does not exist or is whole; on any error the partial tree is removed.
 */
import { chmodSync, createReadStream, mkdirSync, mkdtempSync, renameSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";
import * as tar from "tar-stream";
import { WaltError } from "../../../src/errors.ts";
import { silentLogger, type Logger } from "../../../src/log.ts";
import { layerCompression } from "./oci.ts";
import { removeTree, type FsCaps } from "./unpack-fs.ts";
import { TreeWriter } from "./unpack-tree.ts";

export interface UnpackOptions {
  /** Where layer blobs are (the BlobStore). */
  blobs: { path(digest: string): string };
  /** Bottom layer first, as in the manifest. */
  layers: { digest: string; mediaType: string }[];
  /** The final directory; must not exist. */
  dest: string;
  /** For error messages. */
  imageName: string;
  /** Same filesystem as `dest`. */
  tmpRoot: string;
  log?: Logger;
}

/** Unpack an image's layers into `dest` (atomically, see the header comment). */
export async function unpackImage(opts: UnpackOptions): Promise<void> {
  const log = opts.log ?? silentLogger;
  const caps: FsCaps = { root: process.getuid?.() === 0, setfattr: Bun.which("setfattr"), log };
  mkdirSync(opts.tmpRoot, { recursive: true });
  const work = mkdtempSync(join(opts.tmpRoot, "unpack-"));
  chmodSync(work, 0o755);
  try {
    const tree = new TreeWriter(work, opts.imageName, caps);
    for (const layer of opts.layers) {
      await applyLayer(tree, opts.blobs.path(layer.digest), layer.mediaType, log).catch((e: unknown) => rethrow(e, opts.imageName, layer.digest));
    }
    tree.finish();
    renameSync(work, opts.dest);
  } catch (e) {
    removeTree(work);
    throw e;
  }
}

/** Keep WaltErrors; a filesystem error is ours (INTERNAL), anything else is a corrupt layer (BAD_REQUEST). */
function rethrow(e: unknown, imageName: string, digest: string): never {
  if (e instanceof WaltError) throw e;
  const msg = (e as Error).message;
  if (typeof (e as { syscall?: unknown }).syscall === "string") throw new WaltError("INTERNAL", `Cannot unpack image ${imageName}: ${msg}.`, { cause: e });
  throw new WaltError("BAD_REQUEST", `Layer ${digest} of image ${imageName} is corrupt: ${msg}.`, { cause: e });
}

/** Stream one layer blob through decompression and tar parsing into `tree`. */
async function applyLayer(tree: TreeWriter, path: string, mediaType: string, log: Logger): Promise<void> {
  const compression = layerCompression(mediaType);
  tree.startLayer();
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const extract = tar.extract();
  const feed =
    compression === "none"
      ? pipeline(source, extract)
      : pipeline(source, compression === "gzip" ? createGunzip() : createZstdDecompress(), extract);
  let inEntry = false;
  try {
    for await (const entry of extract) {
      inEntry = true;
      await tree.entry(entry);
      inEntry = false;
    }
    await feed;
  } catch (e) {
    source.destroy();
    await feed.catch(() => undefined);
    // umoci 0.4 `insert` writes layers whose last member lacks its padding and the end-of-archive blocks;
    // GNU tar rejects them but umoci reads them, and every member arrived whole, so accept them too.
    if (!inEntry && (e as Error).message === "Unexpected end of data") {
      log.debug("layer tar ends without end-of-archive blocks; accepted", { layer: path });
      return;
    }
    throw e;
  }
}

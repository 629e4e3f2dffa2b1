/**
 * Write a directory tree as an OCI layer blob: tar (tar-stream) → sha256 (diffId) → gzip/zstd → sha256 (digest)
 * → BlobSink, all streamed. Compression uses node:zlib (Bun implements gzip and zstd there), so no child process.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createGzip, createZstdCompress } from "node:zlib";
import type { Transform } from "node:stream";
import tar from "tar-stream";
import { WaltError } from "../../../src/errors.ts";
import type { BlobSink } from "./blob-sink.ts";
import { packTree, type PackOptions } from "../../../src/tar/pack-path.ts";

export type Compression = "gzip" | "zstd" | "none";

export const LAYER_MEDIA_TYPES: Record<Compression, string> = {
  gzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  zstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  none: "application/vnd.oci.image.layer.v1.tar",
};

/** A layer as a manifest and an image config refer to it. */
export interface Layer {
  /** sha256 of the blob as stored (compressed). */
  digest: string;
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids). */
  diffId: string;
  /** Size of the stored blob in bytes. */
  size: number;
  mediaType: string;
}

export interface LayerOptions extends PackOptions {
  compression?: Compression;
}

type Chunks = AsyncGenerator<Uint8Array, void, undefined>;

/** The uncompressed tar, hashed on the way. */
async function* tapped(pack: AsyncIterable<Uint8Array>, onChunk: (c: Uint8Array) => void): Chunks {
  for await (const chunk of pack) {
    onChunk(chunk);
    yield chunk;
  }
}

/** `input` through a zlib transform, with backpressure on both sides. */
async function* compressed(input: Chunks, z: Transform): Chunks {
  const feeding = (async () => {
    for await (const chunk of input) if (!z.write(chunk)) await once(z, "drain");
    z.end();
  })().catch((err: unknown) => {
    z.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  for await (const chunk of z) yield chunk as Uint8Array;
  await feeding;
}

/** A web stream pulling from a generator (the BlobSink reads at its own pace). */
function toWebStream(chunks: Chunks, onChunk: (c: Uint8Array) => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else {
          onChunk(next.value);
          controller.enqueue(next.value);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Write the tree under `dir` as one layer into `out`. Entries are sorted: the same tree gives the same digests. */
export async function writeLayer(dir: string, out: BlobSink, opts: LayerOptions = {}): Promise<Layer> {
  const compression = opts.compression ?? "gzip";
  const pack = tar.pack();
  const producing = packTree(dir, pack, opts).then(
    () => pack.finalize(),
    (err: unknown) => {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  );
  const diff = createHash("sha256");
  const blob = createHash("sha256");
  let size = 0;
  const z = compression === "gzip" ? createGzip() : compression === "zstd" ? createZstdCompress() : undefined;
  const tarChunks = tapped(pack as AsyncIterable<Uint8Array>, (c) => diff.update(c));
  const body = toWebStream(z ? compressed(tarChunks, z) : tarChunks, (c) => {
    blob.update(c);
    size += c.byteLength;
  });
  let stored: { digest: string; size: number };
  try {
    stored = await out.put(body);
  } catch (err) {
    // The sink gave up: unblock the producer (it may be waiting for a drain) before reporting.
    const reason = err instanceof Error ? err : new Error(String(err));
    pack.destroy(reason);
    z?.destroy(reason);
    await producing;
    throw err;
  }
  await producing;
  const digest = `sha256:${blob.digest("hex")}`;
  if (stored.digest !== digest || stored.size !== size) {
    throw new WaltError("INTERNAL", `The blob store recorded ${stored.digest} (${stored.size} bytes) for a layer of ${digest} (${size} bytes).`);
  }
  return { digest, diffId: `sha256:${diff.digest("hex")}`, size, mediaType: LAYER_MEDIA_TYPES[compression] };
}

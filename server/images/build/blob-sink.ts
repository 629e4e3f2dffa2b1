/**
 * Where the image writers put content-addressed blobs. The server's BlobStore (server/images/store/blobs.ts)
 * implements BlobSink; DirBlobSink writes into the `blobs/sha256/` folder of an OCI image layout directory
 * (used by the default-image build script and by tests).
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { WaltError } from "../../../src/errors.ts";

export type BlobData = ReadableStream<Uint8Array> | Uint8Array | string;

export interface BlobSink {
  /**
   * Store a blob (a string is stored as its UTF-8 bytes) and answer its digest `sha256:<hex>` and size.
   * With `expected`, a blob whose sha256 differs is rejected and nothing is kept.
   */
  put(data: BlobData, expected?: string): Promise<{ digest: string; size: number }>;
}

export const SHA256_RE = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The hex part of a `sha256:<hex>` digest, refusing anything else (a digest becomes a file name). */
export function digestHex(digest: string): string {
  if (!SHA256_RE.test(digest)) throw new WaltError("BAD_REQUEST", `Invalid digest '${digest}'.`);
  return digest.slice("sha256:".length);
}

/** Blobs of an OCI image layout directory: `<layoutDir>/blobs/sha256/<hex>`, written atomically. */
export class DirBlobSink implements BlobSink {
  readonly blobsDir: string;

  constructor(layoutDir: string) {
    this.blobsDir = join(layoutDir, "blobs", "sha256");
  }

  path(digest: string): string {
    return join(this.blobsDir, digestHex(digest));
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.path(digest)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async put(data: BlobData, expected?: string): Promise<{ digest: string; size: number }> {
    if (expected !== undefined) digestHex(expected);
    await mkdir(this.blobsDir, { recursive: true });
    // A partial file never carries a digest name: written beside, renamed once verified.
    const partial = join(this.blobsDir, `.partial-${randomUUID()}`);
    const hash = createHash("sha256");
    let size = 0;
    const file = createWriteStream(partial);
    try {
      const write = async (chunk: Uint8Array): Promise<void> => {
        hash.update(chunk);
        size += chunk.byteLength;
        if (!file.write(chunk)) await once(file, "drain");
      };
      if (typeof data === "string") await write(new TextEncoder().encode(data));
      else if (data instanceof Uint8Array) await write(data);
      else for await (const chunk of data) await write(chunk);
      file.end();
      await once(file, "finish");
      const digest = `sha256:${hash.digest("hex")}`;
      if (expected !== undefined && digest !== expected) {
        throw new WaltError("BAD_REQUEST", `Blob digest mismatch: expected ${expected}, got ${digest}.`);
      }
      await rename(partial, this.path(digest));
      return { digest, size };
    } catch (err) {
      file.destroy();
      await rm(partial, { force: true });
      throw err;
    }
  }
}

/**
 * Content-addressed blob storage of the OCI image layout (`<root>/blobs/sha256/<hex>`).
 *
 * A blob is written to a temp file (under the store's tmp dir, on the same filesystem) while its sha256 is
 * computed, verified, fsynced, then renamed into place: a blob name always matches its content, and a crash or
 * a failed download leaves at most a temp file, which ImageStore.open() removes.
 * Digests are validated before any path is built from them, so a path never leaves the root.
 */
import { existsSync, readdirSync, statSync, unlinkSync, mkdirSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { WaltError, notFound } from "../../../src/errors.ts";

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The hex part of a `sha256:<64 hex>` digest; anything else is refused (BAD_REQUEST). */
export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m?.[1]) throw new WaltError("BAD_REQUEST", `Invalid digest '${digest}': only sha256:<64 hex digits> is supported.`);
  return m[1];
}

/** True when `digest` is a well-formed sha256 digest. */
export const isDigest = (digest: string): boolean => DIGEST.test(digest);

/** The sha256 digest of some bytes. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${new Bun.CryptoHasher("sha256").update(data).digest("hex")}`;
}

export class BlobStore {
  private readonly dir: string;

  /** `root` is the OCI layout dir; `tmpDir` receives partial writes (same filesystem, emptied at start). */
  constructor(
    readonly root: string,
    private readonly tmpDir: string,
  ) {
    this.dir = join(root, "blobs", "sha256");
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(tmpDir, { recursive: true });
  }

  /** Where the blob lives (whether or not it exists). */
  path(digest: string): string {
    return join(this.dir, digestHex(digest));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  /** Size in bytes; NOT_FOUND when absent. */
  size(digest: string): number {
    try {
      return statSync(this.path(digest)).size;
    } catch {
      throw notFound(`Blob ${digest} is not in the image store.`);
    }
  }

  /**
   * Store `data` (a stream, bytes, or text as UTF-8). With `expected`, the sha256 of what was written must
   * equal it, else BAD_REQUEST and nothing is left behind. Storing a blob that exists already is harmless.
   */
  async put(data: ReadableStream<Uint8Array> | Uint8Array | string, expected?: string): Promise<{ digest: string; size: number }> {
    if (expected !== undefined) digestHex(expected);
    const tmp = join(this.tmpDir, `blob-${randomBytes(8).toString("hex")}`);
    const hasher = new Bun.CryptoHasher("sha256");
    let size = 0;
    const fh = await open(tmp, "wx", 0o644);
    try {
      const write = async (chunk: Uint8Array): Promise<void> => {
        hasher.update(chunk);
        size += chunk.byteLength;
        let off = 0;
        while (off < chunk.byteLength) off += (await fh.write(chunk, off)).bytesWritten;
      };
      if (typeof data === "string") await write(new TextEncoder().encode(data));
      else if (data instanceof Uint8Array) await write(data);
      else for await (const chunk of data) await write(chunk);
      // fsync before the rename: after a crash the name must never point at a short file.
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    const digest = `sha256:${hasher.digest("hex")}`;
    if (expected !== undefined && digest !== expected) {
      await rm(tmp, { force: true });
      throw new WaltError("BAD_REQUEST", `Blob digest mismatch: expected ${expected}, got ${digest}.`);
    }
    await rename(tmp, this.path(digest));
    return { digest, size };
  }

  /** The blob's bytes as a stream; NOT_FOUND when absent (checked now, not when read). */
  get(digest: string): ReadableStream<Uint8Array> {
    const p = this.path(digest);
    if (!existsSync(p)) throw notFound(`Blob ${digest} is not in the image store.`);
    return Bun.file(p).stream();
  }

  /** The blob's bytes, for small blobs (manifests, configs). */
  async bytes(digest: string): Promise<Uint8Array> {
    const p = this.path(digest);
    if (!existsSync(p)) throw notFound(`Blob ${digest} is not in the image store.`);
    return Bun.file(p).bytes();
  }

  /** Remove a blob; absent is fine. */
  remove(digest: string): void {
    try {
      unlinkSync(this.path(digest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  /** Every stored digest (names that are not digests are ignored). */
  list(): string[] {
    return readdirSync(this.dir)
      .map((hex) => `sha256:${hex}`)
      .filter(isDigest);
  }

  /** Total bytes of the stored blobs: each blob once, however many images share it. */
  totalBytes(): number {
    let total = 0;
    for (const d of this.list()) total += statSync(this.path(d)).size;
    return total;
  }
}

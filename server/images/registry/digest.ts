/** sha256 digests: computing them and checking a stream against one while it flows. */
import { WaltError } from "../../../src/errors.ts";

export const sha256 = (data: Uint8Array | string): string => `sha256:${new Bun.CryptoHasher("sha256").update(data).digest("hex")}`;

export function assertSha256(digest: string): void {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new WaltError("EXTERNAL", `Unsupported digest ${digest} (only sha256 is supported).`);
}

export interface VerifyOptions {
  digest: string;
  size: number;
  /** Builds the error for a mismatch (the caller knows the registry host). */
  fail: (why: string) => Error;
  onBytes?: (bytes: number) => void;
}

/**
 * A pass-through stream that hashes what flows and errors instead of ending when the size or the digest
 * differ from what the descriptor promised, so a consumer writing to a temporary file never commits it.
 * Bytes beyond the promised size are refused as soon as they arrive (a registry cannot make us fill the disk).
 */
export function verifyingStream(o: VerifyOptions): { stream: TransformStream<Uint8Array, Uint8Array>; failure: () => Error | undefined } {
  const hasher = new Bun.CryptoHasher("sha256");
  let seen = 0;
  let failure: Error | undefined;
  const stop = (c: TransformStreamDefaultController<Uint8Array>, why: string): void => {
    failure = o.fail(why);
    c.error(failure);
  };
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      seen += chunk.byteLength;
      if (seen > o.size) return stop(c, `more than the announced ${o.size} bytes`);
      hasher.update(chunk);
      o.onBytes?.(seen);
      c.enqueue(chunk);
    },
    flush(c) {
      if (seen !== o.size) return stop(c, `${seen} bytes instead of ${o.size}`);
      const got = `sha256:${hasher.digest("hex")}`;
      if (got !== o.digest) stop(c, `its sha256 is ${got}`);
    },
  });
  return { stream, failure: () => failure };
}

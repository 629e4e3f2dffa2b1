import { describe, expect, test } from "bun:test";
import { assertSha256, sha256, verifyingStream } from "./digest.ts";

const bytes = new TextEncoder().encode("hello world");
const D = sha256(bytes);

async function run(data: Uint8Array[], digest: string, size: number): Promise<{ out?: string; err?: string; progress: number[] }> {
  const progress: number[] = [];
  const v = verifyingStream({ digest, size, fail: (why) => new Error(why), onBytes: (b) => progress.push(b) });
  const src = new ReadableStream<Uint8Array>({
    start(c) {
      for (const d of data) c.enqueue(d);
      c.close();
    },
  });
  try {
    return { out: await new Response(src.pipeThrough(v.stream)).text(), progress };
  } catch (e) {
    expect(v.failure()).toBe(e as Error);
    return { err: (e as Error).message, progress };
  }
}

describe("digests", () => {
  test("sha256 of bytes and strings", () => {
    expect(D).toBe("sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    expect(sha256("hello world")).toBe(D);
  });
  test("only sha256 digests are accepted", () => {
    expect(() => assertSha256(D)).not.toThrow();
    expect(() => assertSha256("sha512:abc")).toThrow("Unsupported digest sha512:abc (only sha256 is supported).");
  });
});

describe("verifyingStream", () => {
  test("passes matching data through and reports progress", async () => {
    expect(await run([bytes.subarray(0, 5), bytes.subarray(5)], D, bytes.length)).toEqual({ out: "hello world", progress: [5, 11] });
  });
  test("a digest mismatch errors the stream", async () => {
    const r = await run([new TextEncoder().encode("hello World")], D, bytes.length);
    expect(r.err).toStartWith("its sha256 is sha256:");
  });
  test("too few bytes error the stream", async () => {
    expect((await run([bytes.subarray(0, 4)], D, bytes.length)).err).toBe("4 bytes instead of 11");
  });
  test("bytes beyond the size stop the stream at once", async () => {
    const r = await run([bytes, bytes], D, bytes.length);
    expect(r.err).toBe("more than the announced 11 bytes");
    expect(r.progress).toEqual([11]);
  });
});

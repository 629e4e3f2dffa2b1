import { expect, test } from "bun:test";
import { ReadAhead } from "./read-ahead.ts";
import { memoryFile, type TftpFile } from "./routes.ts";

const data = new Uint8Array(1000).map((_, i) => i % 256);
function counted(): TftpFile & { reads: [number, number][] } {
  const inner = memoryFile(data);
  const reads: [number, number][] = [];
  return { ...inner, reads, read: (o, l) => (reads.push([o, l]), inner.read(o, l)) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

test("read-ahead: load, then sequential peeks served from memory while the next chunk is prefetched", async () => {
  const f = counted();
  const ra = new ReadAhead(f, 300, 50);
  expect(ra.peek(0, 100)).toBeUndefined();
  await ra.load(0, 100);
  expect([...(ra.peek(0, 100) ?? [])]).toEqual([...data.subarray(0, 100)]);
  await settle();
  expect(f.reads).toEqual([[0, 300], [250, 300]]); // the next chunk repeats `overlap` bytes
  // A window straddling the first chunk's end is entirely in the prefetched one.
  expect([...(ra.peek(260, 80) ?? [])]).toEqual([...data.subarray(260, 340)]);
  await settle();
  expect(f.reads.at(-1)).toEqual([500, 300]);
});

test("read-ahead: a jump backwards (a retransmission) loads again", async () => {
  const f = counted();
  const ra = new ReadAhead(f, 100);
  await ra.load(500, 50);
  expect(ra.peek(0, 10)).toBeUndefined();
  await ra.load(0, 10);
  expect([...(ra.peek(0, 10) ?? [])]).toEqual([...data.subarray(0, 10)]);
});

test("read-ahead: a file shorter than its size is an error", async () => {
  const liar: TftpFile = { ...memoryFile(data), size: 5000 };
  const err = await new ReadAhead(liar).load(900, 512).then(
    () => null,
    (e: unknown) => e,
  );
  expect(String(err)).toContain("file shrank while being served");
});

import { expect, test } from "bun:test";
import { netasciiFile, toNetascii } from "./netascii.ts";
import { memoryFile } from "./routes.ts";

const text = (s: string) => new TextEncoder().encode(s);

test("netascii: LF becomes CR LF, a bare CR becomes CR NUL", () => {
  expect([...toNetascii(text("a\nb\rc"))]).toEqual([...text("a\r\nb\r\0c")]);
});

test("a netascii file reports its converted size and reads any range across chunk boundaries", async () => {
  const raw = text("line one\nline two\r\n\n\nend\rx".repeat(50));
  const whole = toNetascii(raw);
  const f = await netasciiFile(memoryFile(raw), 7);
  expect(f.size).toBe(whole.length);
  for (const [offset, length] of [[0, 10], [5, 13], [whole.length - 3, 10], [100, 512], [whole.length, 5]] as const) {
    expect([...(await f.read(offset, length))]).toEqual([...whole.subarray(offset, offset + length)]);
  }
});

test("an empty netascii file is empty", async () => {
  const f = await netasciiFile(memoryFile(new Uint8Array(0)));
  expect(f.size).toBe(0);
  expect((await f.read(0, 512)).length).toBe(0);
});

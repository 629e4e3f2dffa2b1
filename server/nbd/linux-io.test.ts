import { describe, expect, test } from "bun:test";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { loadLinuxIo } from "./linux-io.ts";

const io = loadLinuxIo();

test("the libc calls load on Linux", () => {
  expect(io).toBeDefined();
});

describe("linux file calls", () => {
  test("readCached reads what the page cache holds, at an offset into a view", async () => {
    using dir = tempDir();
    const h = await open(join(dir.path, "f"), "w+");
    try {
      await h.write(Uint8Array.of(1, 2, 3, 4, 5), 0, 5, 100);
      const buf = new Uint8Array(8).fill(9);
      expect(io?.readCached(h.fd, buf.subarray(2, 6), 101)).toBe(4);
      expect([...buf]).toEqual([9, 9, 2, 3, 4, 5, 9, 9]);
      expect(io?.readCached(h.fd, buf, 1000)).toBe(0);
      expect(io?.readCached(-1, buf, 0)).toBe(-1);
    } finally {
      await h.close();
    }
  });

  test("punchHole frees blocks and zeroRange zeroes in place", async () => {
    using dir = tempDir();
    const h = await open(join(dir.path, "f"), "w+");
    try {
      await h.write(new Uint8Array(1 << 20).fill(7), 0, 1 << 20, 0);
      await h.datasync();
      const before = (await h.stat()).blocks;
      expect(io?.punchHole(h.fd, 0, 512 * 1024)).toBe(true);
      expect((await h.stat()).blocks).toBeLessThan(before);
      expect(io?.zeroRange(h.fd, 512 * 1024, 4096)).toBe(true);
      const b = new Uint8Array(3);
      await h.read(b, 0, 3, 512 * 1024 - 1);
      expect([...b]).toEqual([0, 0, 0]);
      expect(io?.punchHole(-1, 0, 1)).toBe(false);
    } finally {
      await h.close();
    }
  });
});

// walt-prefetch (initramfs/prefetch.c), compiled as the initramfs build does and run here on a file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { compilePrefetch } from "./initramfs.ts";

const tmp = tempDir("walt-prefetch-test-");
const bin = join(tmp.path, "walt-prefetch");
const file = join(tmp.path, "agent");

async function prefetch(plan: string, target = file): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([bin, target], { stdin: new TextEncoder().encode(plan), stdout: "pipe", stderr: "pipe" });
  return { code: await p.exited, out: await new Response(p.stdout).text() };
}

describe("walt-prefetch", () => {
  beforeAll(async () => {
    writeFileSync(bin, await compilePrefetch());
    chmodSync(bin, 0o755);
    writeFileSync(file, Buffer.alloc(100_000, 1));
  });

  afterAll(() => tmp[Symbol.dispose]());

  test("an ELF with no loader and no libc, small: it runs from the busybox initramfs", async () => {
    const bytes = Buffer.from(await Bun.file(bin).bytes());
    expect(bytes.length).toBeLessThan(32_768);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from("\x7fELF", "latin1"));
    expect(bytes.includes("ld-linux")).toBe(false);
    expect(bytes.includes("libc.so")).toBe(false);
  });

  test("asks for every range of the plan, clamping the last one to the file, skipping the ones outside", async () => {
    expect(await prefetch("prefetch 100000\n0 4096\n8192 8192\n98304 8192\n200000 10\nnot a range\n")).toEqual({
      code: 0,
      out: "walt-prefetch: 3 ranges, 13984 bytes\n",
    });
  });

  test("a plan made for another file (size) reads nothing: exit 2", async () => {
    expect(await prefetch("prefetch 99999\n0 4096\n")).toEqual({ code: 2, out: "walt-prefetch: the file is not the one the plan was made for\n" });
  });

  test("a plan that is not one, a missing file, no argument: exit 1 with a line", async () => {
    expect(await prefetch("learn 100000\n")).toEqual({ code: 1, out: "walt-prefetch: the plan does not start with 'prefetch SIZE'\n" });
    expect(await prefetch("prefetch 1\n0 1\n", join(tmp.path, "missing"))).toEqual({ code: 1, out: "walt-prefetch: bad plan or unreadable file\n" });
    expect(await prefetch("")).toEqual({ code: 1, out: "walt-prefetch: the plan does not start with 'prefetch SIZE'\n" });
  });
});

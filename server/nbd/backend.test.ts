import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { createSwapBackend } from "./backend.ts";
import { GiB, MiB } from "./export-name.ts";
import { failure } from "../../test/helpers/failure.ts";


describe("nbd swap backend", () => {
  test("opens a sparse private file of the requested size and removes it on close", async () => {
    using dir = tempDir();
    const b = createSwapBackend({ dir: join(dir.path, "swap") });
    const exp = await b.open("swap-1G", "10.0.0.7");
    const [path] = b.openFiles();
    expect(path).toMatch(/\/nbd-swap-10\.0\.0\.7-[0-9a-f]{8}\.img$/);
    const st = statSync(path ?? "");
    expect([exp.size, st.size, st.mode & 0o777]).toEqual([GiB, GiB, 0o600]);
    expect(st.blocks).toBeLessThan(16);
    await exp.close();
    await exp.close();
    expect(existsSync(path ?? "")).toBe(false);
    expect(b.openFiles()).toEqual([]);
  });

  test("reads back what was written, zeroes elsewhere and past a short file", async () => {
    using dir = tempDir();
    const exp = await createSwapBackend({ dir: dir.path }).open("swap-1M", "peer");
    await exp.write([Uint8Array.of(1, 2), Uint8Array.of(3)], 10);
    const got = new Uint8Array(6);
    await exp.read(got, 8);
    expect([...got]).toEqual([0, 0, 1, 2, 3, 0]);
    await exp.close();
  });

  test("TRIM punches a hole and WRITE_ZEROES reads back as zeroes", async () => {
    using dir = tempDir();
    const b = createSwapBackend({ dir: dir.path });
    const exp = await b.open("swap-16M", "peer");
    const path = b.openFiles()[0] ?? "";
    await exp.write([new Uint8Array(4 * MiB).fill(0xab)], 0);
    const before = statSync(path).blocks;
    await exp.trim(0, 2 * MiB);
    expect(statSync(path).blocks).toBeLessThan(before);
    await exp.writeZeroes(2 * MiB, MiB, false);
    await exp.writeZeroes(3 * MiB, 4096, true);
    const got = new Uint8Array(MiB + 8192);
    await exp.read(got, 2 * MiB);
    expect(got.subarray(0, MiB + 4096).every((x) => x === 0)).toBe(true);
    expect(got[MiB + 4096]).toBe(0xab);
    await exp.close();
  });

  test("refuses unknown names and sizes above the maximum", async () => {
    using dir = tempDir();
    const b = createSwapBackend({ dir: dir.path, maxBytes: GiB });
    expect(b.resolve("swap-2G")).toMatchObject({ ok: false, reply: "policy" });
    expect(b.resolve("swap")).toEqual({ ok: true, name: "swap", size: GiB });
    expect(b.list()).toEqual(["swap", "swap-1G"]);
    expect(String(await failure(b.open("disk", "peer")))).toContain('Unknown export "disk"');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  test("prepare removes swap files left by a dead run and nothing else", async () => {
    using dir = tempDir();
    writeFileSync(join(dir.path, "nbd-swap-10.0.0.9-deadbeef.img"), "x");
    writeFileSync(join(dir.path, "keep.txt"), "x");
    expect(await createSwapBackend({ dir: dir.path }).prepare()).toBe(1);
    expect(readdirSync(dir.path)).toEqual(["keep.txt"]);
  });

  test("removeAllNow deletes every open file at once", async () => {
    using dir = tempDir();
    const b = createSwapBackend({ dir: dir.path });
    await b.open("swap-1M", "a");
    await b.open("swap-1M", "b");
    expect(readdirSync(dir.path).length).toBe(2);
    b.removeAllNow();
    expect(readdirSync(dir.path)).toEqual([]);
  });
});

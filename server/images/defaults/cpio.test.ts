import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { cpioNewc, parseCpio, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, type CpioEntry } from "./cpio.ts";

async function archive(entries: CpioEntry[], mtime = 1_700_000_000): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of cpioNewc(entries, mtime)) chunks.push(c);
  return Buffer.concat(chunks);
}

describe("cpio newc writer", () => {
  test("entries round-trip with modes, device numbers, symlink targets and streamed file contents", async () => {
    using d = tempDir();
    writeFileSync(join(d.path, "big"), Buffer.alloc(70_001, 9));
    const bytes = await archive([
      { name: "bin", mode: S_IFDIR | 0o755 },
      { name: "bin/sh", mode: S_IFLNK | 0o777, data: "busybox" },
      { name: "dev/console", mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
      { name: "init", mode: S_IFREG | 0o755, data: "#!/bin/sh\n" },
      { name: "lib/big", mode: S_IFREG | 0o644, file: join(d.path, "big") },
    ]);
    expect(bytes.byteLength % 4).toBe(0);
    const parsed = parseCpio(bytes);
    expect(parsed.map((e) => [e.name, e.mode.toString(8), e.mtime])).toEqual([
      ["bin", "40755", 1_700_000_000],
      ["bin/sh", "120777", 1_700_000_000],
      ["dev/console", "20600", 1_700_000_000],
      ["init", "100755", 1_700_000_000],
      ["lib/big", "100644", 1_700_000_000],
    ]);
    expect(Buffer.from(parsed[1]?.data ?? []).toString()).toBe("busybox");
    expect([parsed[2]?.rdevMajor, parsed[2]?.rdevMinor]).toEqual([5, 1]);
    expect(Buffer.from(parsed[3]?.data ?? []).toString()).toBe("#!/bin/sh\n");
    expect(Buffer.compare(Buffer.from(parsed[4]?.data ?? []), Buffer.alloc(70_001, 9))).toBe(0);
  });

  test("busybox cpio lists what we wrote (an independent reader)", async () => {
    using d = tempDir();
    const bytes = await archive([
      { name: "etc", mode: S_IFDIR | 0o755 },
      { name: "etc/motd", mode: S_IFREG | 0o644, data: "hi\n" },
      { name: "init", mode: S_IFREG | 0o755, data: "#!/bin/sh\n" },
    ]);
    writeFileSync(join(d.path, "a.cpio"), bytes);
    const busybox = Bun.which("busybox");
    if (!busybox) throw new Error("busybox is not installed: apt-get install busybox-static");
    const p = Bun.spawn([busybox, "cpio", "-t", "-F", join(d.path, "a.cpio")], { stdout: "pipe", stderr: "pipe" });
    const out = await new Response(p.stdout).text();
    expect(await p.exited).toBe(0);
    expect(out.trim().split("\n")).toEqual(["etc", "etc/motd", "init"]);
  });

  test("a truncated archive is reported", async () => {
    const bytes = await archive([{ name: "init", mode: S_IFREG | 0o755, data: "x" }]);
    expect(() => parseCpio(bytes.subarray(0, 120))).toThrow("truncated");
  });
});

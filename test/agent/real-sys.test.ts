// The real Sys on this machine, for what needs no root: commands, timeouts, files and devices.
import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRealSys } from "../../agent/sys/real.ts";
import { residentRuns } from "../../agent/sys/resident.ts";
import { failureMessage } from "../helpers/failure.ts";
import { tempDir } from "../helpers/tmp.ts";

describe("real sys", () => {
  const sys = createRealSys();

  test("spawn collects output and exit code, and never throws for a missing command", async () => {
    expect(await sys.spawn(["sh", "-c", "echo out; echo err >&2; exit 3"])).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
    const missing = await sys.spawn(["walt-no-such-command"]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toStartWith("walt-no-such-command: ");
  });

  test("spawn kills a command at its timeout", async () => {
    const started = Date.now();
    const r = await sys.spawn(["sh", "-c", "exec tail -f /dev/null"], { timeoutMs: 100 });
    expect(r.code).toBe(-1);
    expect(r.stderr).toContain("timed out after 100 ms");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("spawn returns when a command exits even if a daemonised child keeps its output open", async () => {
    const started = Date.now();
    const r = await sys.spawn(["sh", "-c", "tail -f /dev/null & echo $!"]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(r.stdout.trim());
    if (pid > 0) process.kill(pid, "SIGKILL");
  });

  test("a failed mount throws with the command's own message", async () => {
    using dir = tempDir();
    const failure = await sys.mount("walt-nowhere", join(dir.path, "nope"), "walt-nofs").then(() => new Error("expected a failure, got success"), (e: unknown) => e);
    expect(String(failure)).toStartWith(`SysError: mount ${join(dir.path, "nope")}: `);
  });

  test("files: superblock bytes, dangling symlinks count as existing, listing a missing directory is empty", async () => {
    using dir = tempDir();
    const img = join(dir.path, "disk.img");
    const b = new Uint8Array(4096);
    b.set([0x53, 0xef], 1080);
    writeFileSync(img, b);
    expect([...(await sys.readBytes(img, 1080, 2))]).toEqual([0x53, 0xef]);
    expect((await sys.readBytes(img, 4095, 8)).length).toBe(1);
    mkdirSync(join(dir.path, "sbin"));
    symlinkSync("/lib/systemd/systemd-that-is-not-here", join(dir.path, "sbin", "init"));
    expect(await sys.exists(join(dir.path, "sbin", "init"))).toBe(true);
    expect(await sys.exists(join(dir.path, "sbin", "nothing"))).toBe(false);
    expect(await sys.listDir(dir.path)).toEqual(["disk.img", "sbin"]);
    expect(await sys.listDir(join(dir.path, "missing"))).toEqual([]);
    expect(await sys.freeKiB(dir.path)).toBeGreaterThan(0);
    await sys.mkdir(join(dir.path, "a", "b"));
    await sys.writeFile(join(dir.path, "a", "b", "f"), "x");
    await sys.rename(join(dir.path, "a"), join(dir.path, "c"));
    expect(await sys.readFile(join(dir.path, "c", "b", "f"))).toBe("x");
    await sys.remove(join(dir.path, "c"));
    expect(await sys.exists(join(dir.path, "c"))).toBe(false);
  });

  test("which looks on the PATH; process.execve exists in this Bun", async () => {
    expect(await sys.which("sh")).toBe(true);
    expect(await sys.which("walt-no-such-command")).toBe(false);
    expect(typeof process.execve).toBe("function");
  });
});

describe("hand-over", () => {
  test("execve replaces the agent's process: same pid, the new program's argv[0], lines written before it kept", async () => {
    const script = [
      `import { writeSync } from "node:fs";`,
      `import { createRealSys } from ${JSON.stringify(join(import.meta.dir, "..", "..", "agent", "sys", "real.ts"))};`,
      `writeSync(1, "agent " + process.pid + "\\n");`,
      `createRealSys().execve("/bin/sh", ["/bin/sh", "-c", "echo init $$ $0"], { PATH: "/bin:/usr/bin" });`,
    ].join("\n");
    using dir = tempDir();
    const file = join(dir.path, "handover.ts");
    writeFileSync(file, script);
    const p = Bun.spawn([process.execPath, file], { stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
    expect(code).toBe(0);
    const [agentLine, initLine] = out.trim().split("\n");
    const pid = agentLine?.split(" ")[1];
    expect(initLine).toBe(`init ${pid} /bin/sh`);
  });
});

describe("residentRanges (mmap + mincore through glibc)", () => {
  test("a file just written is all in the page cache; the last range ends at the file's size", async () => {
    using tmp = tempDir("walt-resident-");
    const f = join(tmp.path, "f");
    writeFileSync(f, Buffer.alloc(3 * 4096 + 100, 7));
    expect(await createRealSys().residentRanges(f)).toEqual({ size: 3 * 4096 + 100, ranges: [[0, 3 * 4096 + 100]] });
  });

  test("a missing file is a SysError naming it", async () => {
    expect(await failureMessage(createRealSys().residentRanges("/nonexistent/walt"))).toContain("/nonexistent/walt: ENOENT");
  });

  test("runs of resident pages, clamped to the size", () => {
    expect(residentRuns(new Uint8Array([1, 1, 0, 0, 3, 0, 1]), 4096, 6 * 4096 + 10)).toEqual([[0, 8192], [16384, 4096], [24576, 10]]);
    expect(residentRuns(new Uint8Array([0, 2]), 4096, 8192)).toEqual([]);
  });
});

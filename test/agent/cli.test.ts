// `walt agent` as a process (from source): help, and walt-init refusing to run outside PID 1.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const MAIN = join(import.meta.dir, "..", "..", "src", "main.ts");

async function agent(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, MAIN, "agent", ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

describe("walt agent", () => {
  test("without arguments prints its version and the boot steps", async () => {
    const r = await agent([]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^walt agent \d+\.\d+\.\d+/);
    expect(r.out).toContain("hand over to the image's /sbin/init");
    expect(r.out).toContain("walt agent init [--not-pid1-ok]");
  });

  test("init refuses to run when not PID 1, with exit 1 and a hint", async () => {
    const r = await agent(["init"]);
    expect(r).toEqual({
      code: 1,
      out: "",
      err: "walt agent init must run as PID 1 (as the kernel's init, or started by WALT's initramfs).\nHint: walt agent init --not-pid1-ok runs it anyway; it mounts filesystems and reboots on failure.\n",
    });
  });

  test("an unknown sub-command is a usage error", async () => {
    const r = await agent(["start"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("walt agent: unknown sub-command 'start'.\nHint: walt agent --help\n");
  });
});

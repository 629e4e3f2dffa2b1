/**
 * iproute2 from TypeScript: Bun has no netlink binding, and `ip` is what WALT's own scripts use. Every call is
 * one argv (no shell); a failure becomes a WaltError naming the command and what `ip` said.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

export async function runCommand(argv: readonly string[]): Promise<CommandResult> {
  let p;
  try {
    p = Bun.spawn([...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (e) {
    throw new WaltError("UNAVAILABLE", `Cannot run ${argv[0] ?? ""}: ${e instanceof Error ? e.message : String(e)}`, { hint: "install the Debian package iproute2" });
  }
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err: err.trim() };
}

/** Run `ip <args>`; throws on failure. */
export async function ip(...args: string[]): Promise<string> {
  const r = await runCommand(["ip", ...args]);
  if (r.code !== 0) throw new WaltError("UNAVAILABLE", `ip ${args.join(" ")} failed: ${r.err || `exit code ${r.code}`}`);
  return r.out;
}

/** Whether a network interface exists (in this process's network namespace). */
export async function linkExists(name: string): Promise<boolean> {
  return (await runCommand(["ip", "link", "show", "dev", name])).code === 0;
}

/**
 * The name of the `ip netns` namespace this process runs in, if it runs in one: its network namespace is the
 * one bound at /run/netns/<name>. Undefined in the host's namespace (or any unnamed one).
 */
export function namedNetns(dir = "/run/netns"): string | undefined {
  let self: number;
  try {
    self = statSync("/proc/self/ns/net").ino;
  } catch {
    return undefined;
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const n of names) {
    try {
      if (statSync(join(dir, n)).ino === self) return n;
    } catch {
      // a namespace being deleted
    }
  }
  return undefined;
}

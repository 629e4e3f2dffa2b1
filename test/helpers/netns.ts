/**
 * A network namespace for a test (`ip netns add walt-e2e-<pid>`), so that walt-net, taps and 192.168.x addresses
 * never touch the host's network. Disposal ends every process still in it (SIGTERM, then SIGKILL), unmounts what
 * was left mounted under the directories given, and deletes the namespace — also after a failed test.
 * Namespaces left by earlier runs whose process is gone are deleted at creation.
 */
import { existsSync, readFileSync } from "node:fs";

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

export async function run(argv: string[]): Promise<CommandResult> {
  const p = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err };
}

async function must(argv: string[]): Promise<string> {
  const r = await run(argv);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.err.trim()}`);
  return r.out;
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

export class NetNamespace implements AsyncDisposable {
  private constructor(
    readonly name: string,
    private readonly cleanupDirs: string[],
  ) {}

  /** Create `<prefix>-<pid>` with its loopback up. `cleanupDirs`: mounts under them are removed at disposal. */
  static async create(prefix = "walt-e2e", cleanupDirs: string[] = []): Promise<NetNamespace> {
    for (const line of (await must(["ip", "netns", "list"])).split("\n")) {
      const name = line.split(" ")[0] ?? "";
      const m = new RegExp(`^${prefix}-(\\d+)$`).exec(name);
      if (m?.[1] !== undefined && (Number(m[1]) === process.pid || !alive(Number(m[1])))) await new NetNamespace(name, []).dispose();
    }
    const name = `${prefix}-${process.pid}`;
    await must(["ip", "netns", "add", name]);
    const ns = new NetNamespace(name, cleanupDirs);
    try {
      await must(["ip", "-n", name, "link", "set", "lo", "up"]);
    } catch (e) {
      await ns.dispose();
      throw e;
    }
    return ns;
  }

  /** Start a process inside the namespace. */
  spawn(argv: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Bun.Subprocess<"ignore", "pipe", "pipe"> {
    return Bun.spawn(["ip", "netns", "exec", this.name, ...argv], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
  }

  /** Run a command inside the namespace to its end. */
  exec(argv: string[]): Promise<CommandResult> {
    return run(["ip", "netns", "exec", this.name, ...argv]);
  }

  /** Processes running in the namespace, with their command names. */
  async processes(): Promise<{ pid: number; comm: string }[]> {
    const r = await run(["ip", "netns", "pids", this.name]);
    return r.out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => Number(l))
      .map((pid) => ({ pid, comm: existsSync(`/proc/${pid}/comm`) ? readFileSync(`/proc/${pid}/comm`, "utf8").trim() : "?" }));
  }

  async dispose(): Promise<void> {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const procs = await this.processes();
      if (procs.length === 0) break;
      for (const p of procs) {
        try {
          process.kill(p.pid, signal);
        } catch {
          // already gone
        }
      }
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await this.processes()).length > 0) await Bun.sleep(100);
    }
    const mounts = readFileSync("/proc/self/mounts", "utf8")
      .split("\n")
      .map((l) => l.split(" ")[1] ?? "")
      .filter((m) => this.cleanupDirs.some((d) => m.startsWith(d + "/")))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) await run(["umount", "-l", m]);
    await run(["ip", "netns", "del", this.name]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

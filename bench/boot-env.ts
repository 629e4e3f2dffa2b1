/**
 * The environment of the network-boot benches (bench/boot*.ts), as test/e2e/boot.test.ts builds it: the compiled
 * `walt server` in a network namespace created here (deleted at the end, also on failure and on Ctrl-C), the
 * default images as OCI layouts (bench/boot-images.ts), the CLI through the server's unix socket. Also used by the
 * opt-in Debian boot test (test/e2e-optin/debian-boot.ts).
 */
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tapName } from "../server/vnodes/hypervisor.ts";
import { BINARY, ROOT } from "../test/helpers/binary.ts";
import { NetNamespace, run, type CommandResult } from "../test/helpers/netns.ts";
import { tempDir } from "../test/helpers/tmp.ts";
import { waitFor } from "../test/helpers/wait-for.ts";
import { benchLayouts, type BenchImages } from "./boot-images.ts";

export interface BootRecord {
  cause: string;
  image: string;
  startUs: number;
  bootedUs: number | null;
  events: { atUs: number; kind: string; detail: string; bytes?: number }[];
}

/** The server's log of the last bench run, kept for post-mortems. */
export const BENCH_SERVER_LOG = join(tmpdir(), "walt-bench-boot-last-server.log");

export class BootBench implements AsyncDisposable {
  private constructor(
    readonly ns: NetNamespace,
    readonly dir: string,
    private readonly tmp: { [Symbol.dispose](): void },
    private readonly server: Bun.Subprocess<"ignore", "pipe", "pipe">,
    private readonly stderr: () => string,
    private readonly cliEnv: Record<string, string>,
    private readonly offSignals: () => void,
  ) {}

  get dataDir(): string {
    return join(this.dir, "data");
  }

  /**
   * Build dist/walt, write the server's default-images directory (`images`: the benches' layouts, or a function
   * writing it), create the namespace, start the server.
   */
  static async create(images: BenchImages | ((dir: string) => Promise<void>)): Promise<BootBench> {
    if (process.getuid?.() !== 0) throw new Error("the boot benches need root (network namespaces, taps, overlay mounts)");
    const build = await run([process.execPath, join(ROOT, "build.ts")]);
    if (build.code !== 0) throw new Error(`build failed: ${build.err}`);
    const tmp = tempDir("walt-bench-boot-");
    let ns: NetNamespace | undefined;
    // Ctrl-C or kill: the namespace (its qemu, ganesha and server) and the mounts go too.
    const onSignal = (): void => void (ns?.dispose() ?? Promise.resolve()).finally(() => (tmp[Symbol.dispose](), process.exit(130)));
    const offSignals = (): void => void (process.off("SIGINT", onSignal), process.off("SIGTERM", onSignal));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const layouts = join(tmp.path, "default-images");
      await (typeof images === "function" ? images(layouts) : benchLayouts(layouts, images));
      ns = await NetNamespace.create("walt-bench-boot", [tmp.path]);
      const conf = join(tmp.path, "server.conf");
      writeFileSync(conf, `data-dir: ${join(tmp.path, "data")}\ndefault-images: ${join(tmp.path, "default-images")}\nlog-level: info\n`);
      const server = ns.spawn([BINARY, "server", "--config", conf, "--port", "0", "--listen", "127.0.0.1"], { env: { PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin" } });
      let err = "";
      void (async () => {
        for await (const c of server.stderr.pipeThrough(new TextDecoderStream())) err += c;
      })();
      await waitFor(() => err.includes("server: ready") || server.exitCode !== null, "the server start", 120_000, 50);
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${err}`);
      const home = join(tmp.path, "home");
      mkdirSync(home);
      const cliEnv = { PATH: process.env["PATH"] ?? "", HOME: home, WALT_CONFIG: join(home, "walt.conf"), WALT_SERVER: `unix:${join(tmp.path, "data", "walt.sock")}`, WALT_USER: "bench" };
      return new BootBench(ns, tmp.path, tmp, server, () => err, cliEnv, offSignals);
    } catch (e) {
      await ns?.dispose();
      tmp[Symbol.dispose]();
      offSignals();
      throw e;
    }
  }

  async walt(...args: string[]): Promise<CommandResult> {
    const p = Bun.spawn([BINARY, ...args], { env: this.cliEnv, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
    return { code, out, err };
  }

  /** Run a CLI command that must succeed; its output. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.walt(...args);
    if (r.code !== 0) throw new Error(`walt ${args.join(" ")} exited ${r.code}: ${r.err}${r.out}\n--- server log tail:\n${this.serverTail()}`);
    return r.out;
  }

  serverTail(): string {
    return this.stderr().split("\n").slice(-25).join("\n");
  }

  /**
   * A path as the server sees it: `ip netns exec` gives the server its own mount namespace (a slave of the host's),
   * so the overlay mounts of served roots are visible only through the server's /proc/<pid>/root.
   */
  serverPath(path: string): string {
    return `/proc/${this.server.pid}/root${path}`;
  }

  macOf(node: string): string {
    return readlinkSync(join(this.dataDir, "nodes", node));
  }

  tapOf(node: string): string {
    return tapName(this.macOf(node));
  }

  /** The boot records of a node (`nodes.boot-timelines`, as the e2e test reads them). */
  async timelines(node: string): Promise<BootRecord[]> {
    const token = /token: "([^"]+)"/.exec(readFileSync(this.cliEnv["WALT_CONFIG"] ?? "", "utf8"))?.[1] ?? "";
    const res = await fetch("http://localhost/api/cli/v1/nodes.boot-timelines", {
      method: "POST",
      body: JSON.stringify({ set: node }),
      headers: { "content-type": "application/json", "x-walt-token": token },
      unix: join(this.dataDir, "walt.sock"),
    } as RequestInit);
    const body = (await res.json()) as { nodes: { boots: BootRecord[] }[] };
    return body.nodes[0]?.boots ?? [];
  }

  /** Console lines of a node matching `re` (stream `virtualconsole`), with their times in µs. */
  async consoleLines(node: string, re: string): Promise<{ atUs: number; line: string }[]> {
    const out = await this.ok("log", "show", "--history", "full", "--issuers", node, "--streams", "virtualconsole", "--format", "{timestamp:%s.%f} {line}", re);
    return out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const [ts = "0", ...rest] = l.split(" ");
        return { atUs: Math.round(Number(ts) * 1e6), line: rest.join(" ") };
      });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    writeFileSync(BENCH_SERVER_LOG, this.stderr());
    try {
      this.server.kill("SIGTERM");
      await Promise.race([this.server.exited, Bun.sleep(30_000)]);
      await this.ns.dispose();
    } finally {
      this.tmp[Symbol.dispose]();
      this.offSignals();
    }
  }
}

/**
 * DHCP DORA transactions per second: our service (with the real server and its SQLite database behind it)
 * against Debian's dnsmasq, in the same run, with the same load generator (bench/dhcp-load.ts).
 *
 * dnsmasq's DHCP server always uses port 67 and answers on interfaces, not on loopback, so both servers run
 * in a network namespace created here (`walt-bench-dhcp-<pid>`), the load generator in a second one
 * (`walt-bench-dhcpc-<pid>`), joined by a veth pair created directly inside them: nothing touches the host
 * namespace, and both namespaces are deleted at the end. Needs root, iproute2 and dnsmasq-base.
 * Two phases per server: N new MACs (our server registers N devices), then the same N MACs again.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Per process: two runs at once (engineers share machines) must not delete each other's namespaces.
const NS = `walt-bench-dhcp-${process.pid}`;
const NS_CLIENT = `walt-bench-dhcpc-${process.pid}`;
const CIDR = "10.77.0.1/16";
const HERE = import.meta.dir;

interface LoadResult {
  count: number;
  done: number;
  seconds: number;
  perSecond: number;
  resends: number;
  naks: number;
  distinctIps: number;
}

function sh(argv: string[]): void {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr.toString().trim()}`);
}

function removeNamespaces(): void {
  for (const ns of [NS, NS_CLIENT]) Bun.spawnSync(["ip", "netns", "del", ns], { stdout: "ignore", stderr: "ignore" });
}

function createNamespaces(): void {
  removeNamespaces();
  sh(["ip", "netns", "add", NS]);
  sh(["ip", "netns", "add", NS_CLIENT]);
  sh(["ip", "-n", NS, "link", "add", "wbd-s", "type", "veth", "peer", "name", "wbd-c", "netns", NS_CLIENT]);
  sh(["ip", "-n", NS, "addr", "add", CIDR, "dev", "wbd-s"]);
  sh(["ip", "-n", NS_CLIENT, "addr", "add", "10.77.255.254/16", "dev", "wbd-c"]);
  for (const [ns, dev] of [[NS, "wbd-s"], [NS_CLIENT, "wbd-c"]] as const) {
    sh(["ip", "-n", ns, "link", "set", "lo", "up"]);
    sh(["ip", "-n", ns, "link", "set", dev, "up"]);
    // No default route in these namespaces: limited broadcast needs its own (see server/dhcp/server.ts).
    sh(["ip", "-n", ns, "route", "add", "255.255.255.255/32", "dev", dev]);
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

async function load(count: number, window: number): Promise<LoadResult> {
  const p = Bun.spawn(["ip", "netns", "exec", NS_CLIENT, process.execPath, join(HERE, "dhcp-load.ts"), String(count), String(window), "120"], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  if ((await p.exited) !== 0) throw new Error(`load generator failed: ${await new Response(p.stderr).text()}`);
  return JSON.parse(out) as LoadResult;
}

/** Start a server in the namespace, wait until `ready()`, run both phases, stop it. */
async function measure(argv: string[], ready: (stdout: string) => boolean, count: number, window: number): Promise<[LoadResult, LoadResult]> {
  const p = Bun.spawn(["ip", "netns", "exec", NS, ...argv], { stdout: "pipe", stderr: "pipe" });
  let stdout = "";
  void (async () => {
    for await (const chunk of p.stdout) stdout += Buffer.from(chunk).toString();
  })();
  try {
    await waitUntil(() => ready(stdout) || p.exitCode !== null, `${argv[0] ?? "server"} to listen`);
    if (p.exitCode !== null) throw new Error(`${argv.join(" ")} exited ${p.exitCode}: ${await new Response(p.stderr).text()}`);
    const fresh = await load(count, window);
    const again = await load(count, window);
    return [fresh, again];
  } finally {
    p.kill("SIGTERM");
    const killer = setTimeout(() => p.kill("SIGKILL"), 5000);
    await p.exited;
    clearTimeout(killer);
  }
}

export async function benchDhcp(sizes: readonly number[] = [250, 2000], window = 32): Promise<Record<string, number>> {
  const dnsmasq = Bun.which("dnsmasq") ?? Bun.which("dnsmasq", { PATH: "/usr/sbin:/sbin" });
  if (process.getuid?.() !== 0 || !Bun.which("ip") || !dnsmasq) {
    console.log("DHCP DORA/s: skipped (needs root, iproute2 and dnsmasq: apt-get install -y dnsmasq-base)");
    return {};
  }
  const figures: Record<string, number> = {};
  console.log(`DHCP DORA transactions/s, ${window} in flight, veth between two namespaces (new MACs: first DORA; known: second):`);
  console.log(`  ${"server".padEnd(24)} ${"clients".padStart(7)} ${"new MACs".padStart(9)} ${"known MACs".padStart(11)}`);
  for (const count of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "walt-bench-dnsmasq-"));
    createNamespaces();
    try {
      const walt = await measure([process.execPath, join(HERE, "dhcp-walt-server.ts"), CIDR], (out) => out.includes("ready"), count, window);
      const dns = await measure(dnsmasqArgv(dnsmasq, dir), () => readLog(dir).includes("sockets bound"), count, window);
      const version = /version ([\d.]+)/.exec(readLog(dir))?.[1] ?? "?";
      console.log(row("walt (Bun + SQLite)", count, walt));
      console.log(row(`dnsmasq ${version}`, count, dns));
      Object.assign(figures, {
        [`walt${count}NewPerS`]: walt[0].perSecond,
        [`walt${count}KnownPerS`]: walt[1].perSecond,
        [`dnsmasq${count}NewPerS`]: dns[0].perSecond,
        [`dnsmasq${count}KnownPerS`]: dns[1].perSecond,
      });
    } finally {
      removeNamespaces();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

/** dnsmasq as close to our service as it gets: DHCP only, no ping check, no per-lease logging, same boot file. */
function dnsmasqArgv(dnsmasq: string, dir: string): string[] {
  return [dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--port=0", "--interface=wbd-s", "--bind-interfaces",
    "--dhcp-range=10.77.0.2,10.77.250.254,255.255.0.0,6000000", "--dhcp-authoritative", "--no-ping", "--quiet-dhcp",
    `--dhcp-leasefile=${join(dir, "leases")}`, "--dhcp-lease-max=200000", "--dhcp-boot=pxe/walt-x86-undionly.kpxe",
    "--pid-file=", "--user=root", `--log-facility=${join(dir, "log")}`];
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "log"), "utf8");
  } catch {
    return "";
  }
}

function row(name: string, count: number, [a, b]: [LoadResult, LoadResult]): string {
  const extra = `(${a.done}+${b.done} done, ${a.resends + b.resends} resends, ${a.naks + b.naks} NAKs)`;
  return `  ${name.padEnd(24)} ${String(count).padStart(7)} ${a.perSecond.toFixed(0).padStart(9)} ${b.perSecond.toFixed(0).padStart(11)}   ${extra}`;
}

if (import.meta.main) await benchDhcp();

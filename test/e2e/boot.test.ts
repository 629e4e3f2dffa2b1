/**
 * End-to-end network boot (issue 5) inside a network namespace this test creates: the compiled `walt server` with
 * its own walt-net, DHCP, TFTP, HTTP, NBD, nfs-ganesha and qemu virtual nodes (TCG here: KVM hangs on these
 * machines), booting WALT's busybox test image plus a boot hook (test/e2e/images.ts). The CLI reaches the server
 * through its unix socket. A node runs commands through `/persist/on-boot`, which the test writes on the server.
 *
 * Needs root, qemu-system-x86, nfs-ganesha(-vfs) and iproute2: when one is missing the test fails and says what
 * to install. Under TCG a busybox boot takes 10-20 s; every wait has a deadline.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";
import { BINARY, ROOT } from "../helpers/binary.ts";
import { NetNamespace, run, type CommandResult } from "../helpers/netns.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { buildE2eLayout } from "./images.ts";

const BOOT_S = 150;

/** What the node's hook records at each boot, in its /persist (n = boot number). */
const ON_BOOT = `#!/bin/sh
n=$(cat /persist/boots 2>/dev/null || echo 0); n=$((n+1)); echo $n > /persist/boots
if [ -e /root-marker ]; then echo present; else echo absent; fi > /persist/root-marker-$n
echo written > /root-marker
hostname > /persist/hostname-$n
ip -4 -o addr show dev eth0 > /persist/ip-$n
cat /etc/walt/flavour > /persist/flavour-$n
cat /proc/swaps > /persist/swaps-$n
awk '$2 == "/run/walt/rw" { print $4 }' /proc/mounts > /persist/rw-$n
awk '$2 == "/run/walt/lower" { print $3 " " $4 }' /proc/mounts > /persist/lower-$n
(. /run/walt/boot.env; echo "$lower_read_ahead_kb $(cat /sys/class/bdi/$lower_bdi/read_ahead_kb)") > /persist/ra-$n
ls -ln /bin/busybox | awk '{ print $3 ":" $4 }' > /persist/owner-$n
echo | timeout 5 nc 192.168.152.1 10809 | head -c 8 > /persist/nbd-$n
tftp -g -r start.ipxe -l /persist/tftp-$n 192.168.152.1
wget -q -O /persist/http-$n http://192.168.152.1/boot/start.ipxe
sync
echo done > /persist/done-$n
# A heartbeat on /persist: shows the NFS mount working (or recovering) while the node runs.
(while true; do echo $n-$(cut -d. -f1 /proc/uptime) > /persist/heartbeat; sleep 1; done) > /dev/null 2>&1 &
`;

function requireTools(): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root privileges (network namespaces, taps, overlay mounts)");
  if (!Bun.which("qemu-system-x86_64")) missing.push("qemu-system-x86_64 (apt-get install qemu-system-x86 ipxe-qemu)");
  if (!Bun.which("ganesha.nfsd", { PATH: `${process.env["PATH"] ?? ""}:/usr/bin:/usr/sbin` })) missing.push("ganesha.nfsd (apt-get install nfs-ganesha nfs-ganesha-vfs)");
  if (!Bun.which("ip")) missing.push("ip (apt-get install iproute2)");
  if (missing.length) throw new Error(`the network boot e2e test needs: ${missing.join("; ")}`);
}

interface Env {
  tmp: { path: string; [Symbol.dispose](): void };
  ns: NetNamespace;
  server: Bun.Subprocess<"ignore", "pipe", "pipe">;
  stderr: () => string;
  dataDir: string;
  cliEnv: Record<string, string>;
}

let env: Env | undefined;

async function walt(...args: string[]): Promise<CommandResult> {
  if (!env) throw new Error("no server");
  const p = Bun.spawn([BINARY, ...args], { env: env.cliEnv, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err };
}

async function ok(...args: string[]): Promise<string> {
  const r = await walt(...args);
  if (r.code !== 0) throw new Error(`walt ${args.join(" ")} exited ${r.code}: ${r.err}${r.out}\n--- server log tail:\n${serverTail()}`);
  return r.out;
}

function serverTail(): string {
  return (env?.stderr() ?? "").split("\n").filter((l) => !l.includes("level=debug")).slice(-25).join("\n");
}

/** The node's /persist as the server holds it. */
const persist = (name: string): string => join(env?.dataDir ?? "", "nodes", name, "persist");
const readPersist = (name: string, file: string): string => readFileSync(join(persist(name), file), "utf8").trim();

async function waitBoot(name: string, n: number): Promise<void> {
  try {
    await ok("node", "wait", name, "--timeout", String(BOOT_S));
    await waitFor(() => existsSync(join(persist(name), `done-${n}`)), `${name}'s boot hook, boot ${n}`, 60_000, 100);
  } catch (e) {
    // For the post-mortem: the node's console (its initramfs and agent lines say where the boot stood).
    const c = await walt("log", "show", "--history", "full", "--issuers", name, "--streams", "virtualconsole", "--format", "{timestamp:%H:%M:%S.%f} {line}");
    writeFileSync(join(tmpdir(), `walt-e2e-last-console-${name}.log`), c.out + c.err);
    throw e;
  }
}

/** The boot records of a node, through the API on the unix socket. */
async function timelines(name: string): Promise<{ cause: string; image: string; bootedUs: number | null; events: { kind: string; detail: string }[] }[]> {
  const conf = readFileSync(env?.cliEnv["WALT_CONFIG"] ?? "", "utf8");
  const token = /token: "([^"]+)"/.exec(conf)?.[1] ?? "";
  const res = await fetch("http://localhost/api/cli/v1/nodes.boot-timelines", {
    method: "POST",
    body: JSON.stringify({ set: name }),
    headers: { "content-type": "application/json", "x-walt-token": token },
    unix: join(env?.dataDir ?? "", "walt.sock"),
  } as RequestInit);
  const body = (await res.json()) as { nodes: { boots: Awaited<ReturnType<typeof timelines>> }[] };
  return body.nodes[0]?.boots ?? [];
}

/** The node's row of `walt node show --all` as columns. */
async function showRow(name: string): Promise<string[]> {
  const out = await ok("node", "show", "--all");
  const line = out.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} not in:\n${out}`);
  return line.trim().split(/\s+/);
}

/** Start `walt server` in the namespace with `conf` (YAML); resolves once it is ready. */
async function startServer(ns: NetNamespace, dir: string, conf: string): Promise<{ server: Env["server"]; stderr: () => string }> {
  writeFileSync(join(dir, "server.conf"), conf);
  const server = ns.spawn([BINARY, "server", "--config", join(dir, "server.conf"), "--port", "0", "--listen", "127.0.0.1"], {
    env: { PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
  let err = "";
  void (async () => {
    for await (const c of server.stderr.pipeThrough(new TextDecoderStream())) err += c;
  })();
  await waitFor(() => err.includes("server: ready") || server.exitCode !== null, "the server start", 60_000, 50);
  if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${err}`);
  return { server, stderr: () => err };
}

/** The server's configuration; no `netboot:` key: `auto` turns network boot on inside a named namespace. */
const serverConf = (tmp: string, extra = ""): string =>
  `data-dir: ${join(tmp, "data")}\ndefault-images: ${join(tmp, "default-images")}\nlog-level: debug\n${extra}`;

beforeAll(async () => {
  requireTools();
  const build = await run([process.execPath, join(ROOT, "build.ts")]);
  if (build.code !== 0) throw new Error(`build failed: ${build.err}`);
  const tmp = tempDir("walt-e2e-");
  const dataDir = join(tmp.path, "data");
  let ns: NetNamespace | undefined;
  try {
    await buildE2eLayout(join(tmp.path, "default-images", "e2e"));
    ns = await NetNamespace.create("walt-e2e", [tmp.path]);
    const { server, stderr } = await startServer(ns, tmp.path, serverConf(tmp.path));
    const cliHome = join(tmp.path, "home");
    mkdirSync(cliHome);
    env = {
      tmp,
      ns,
      server,
      stderr,
      dataDir,
      cliEnv: { PATH: process.env["PATH"] ?? "", HOME: cliHome, WALT_CONFIG: join(cliHome, "walt.conf"), WALT_SERVER: `unix:${join(dataDir, "walt.sock")}`, WALT_USER: "alice" },
    };
  } catch (e) {
    await ns?.dispose();
    tmp[Symbol.dispose]();
    env = undefined;
    throw e;
  }
}, 240_000);

/** The server's log of the last run, kept for post-mortems. */
const SERVER_LOG = join(tmpdir(), "walt-e2e-last-server.log");

afterAll(async () => {
  if (!env) return;
  const { ns, tmp } = env;
  writeFileSync(SERVER_LOG, env.stderr());
  try {
    await ns.dispose();
  } finally {
    tmp[Symbol.dispose]();
    env = undefined;
  }
}, 60_000);

describe("network boot of virtual nodes (netns, qemu, nfs-ganesha)", () => {
  test("two created vnodes boot, report booted, and their DHCP name and address match the database", async () => {
    expect(await ok("node", "show")).toContain("Configuration was updated in");
    expect(await ok("node", "create", "vn1")).toBe(
      'Default image for pc-x86-64 was saved as "pc-x86-64-default" in your working set.\nNode vn1 is now booting your image "pc-x86-64-default".\nUse `walt node boot vn1 <other-image>` if needed.\n',
    );
    expect(await ok("node", "create", "vn2")).toBe('Node vn2 is now booting your image "pc-x86-64-default".\nUse `walt node boot vn2 <other-image>` if needed.\n');
    // The hook's script goes where the nodes mount /persist (their trees exist once created; init runs the
    // hook ~10 s later).
    for (const name of ["vn1", "vn2"]) {
      writeFileSync(join(persist(name), "on-boot"), ON_BOOT);
      chmodSync(join(persist(name), "on-boot"), 0o755);
    }
    await ok("node", "wait", "vn1,vn2", "--timeout", String(BOOT_S));
    for (const name of ["vn1", "vn2"]) {
      await waitBoot(name, 1);
      const row = await showRow(name);
      expect(row).toEqual([name, "virtual", "pc-x86-64", "pc-x86-64-default", expect.stringMatching(/^192\.168\.152\.\d+$/) as unknown as string, "LAN", "yes"]);
      expect(readPersist(name, "hostname-1")).toBe(name);
      expect(readPersist(name, "ip-1")).toContain(`inet ${row[4] ?? "?"}/24`);
    }
    // The server had no agent pages for this build: one of the two nodes learnt them (no read-around while its
    // agent started), the other booted with the lowered read-around.
    const readAhead = async (name: string): Promise<string> =>
      (await timelines(name)).at(-1)?.events.find((e) => e.detail.startsWith("read-ahead: "))?.detail ?? "";
    const first = [await readAhead("vn1"), await readAhead("vn2")];
    expect(first.filter((d) => /; agent pages learnt: \d+ ranges, [\d.]+ MB, sent to the server$/.test(d))).toHaveLength(1);
    expect(first.filter((d) => /^read-ahead: ok, read_ahead_kb of \/run\/walt\/lower back to \d+$/.test(d))).toHaveLength(1);
    expect(readdirSync(join(env?.dataDir ?? "", "agent-pages")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
  }, 300_000);

  test("a file written under / is gone after walt node reboot, /persist survives; NBD, TFTP and HTTP answer the node", async () => {
    expect(readPersist("vn1", "root-marker-1")).toBe("absent");
    expect(await ok("node", "reboot", "vn1")).toBe("Node vn1: rebooted ok.\n");
    await waitBoot("vn1", 2);
    expect(readPersist("vn1", "boots")).toBe("2");
    expect(readPersist("vn1", "root-marker-2")).toBe("absent");
    // Swap over NBD is active: the agent's own NBD client attached /dev/nbd0 (the busybox image has no nbd-client).
    const swap = readPersist("vn1", "swaps-2").split("\n").find((l) => l.startsWith("/dev/nbd0"));
    expect(swap).toBeDefined();
    expect(Number(swap?.split(/\s+/)[2])).toBeGreaterThan(0);
    expect(readPersist("vn1", "nbd-2")).toBe("NBDMAGIC");
    // Once swap is on, the RAM overlay's tmpfs was remounted with size=8G, as WALT does.
    expect(readPersist("vn1", "rw-2").split(",")).toContain("size=8388608k");
    // The image's files keep their owners over NFS (root, not the unmapped uid 4294967294).
    expect(readPersist("vn1", "owner-2")).toBe("0:0");
    // The image root is mounted as WALT mounts it: NFSv3, read-only, nocto, no locks (ganesha registered with the
    // server's rpcbind; the initramfs falls back to v4.1 only when the server has no v3).
    const [fstype, opts] = readPersist("vn1", "lower-2").split(" ");
    expect(fstype).toBe("nfs");
    expect(opts?.split(",")).toEqual(expect.arrayContaining(["ro", "vers=3", "nocto", "nolock", "mountport=20048"]));
    // The image root's read-around, lowered by the initramfs for the agent's start, is back to the recorded default.
    expect(readPersist("vn1", "ra-2")).toMatch(/^(\d+) \1$/);
    expect(readPersist("vn1", "ra-2")).not.toStartWith("32 ");
    // The node's boot folder over TFTP and HTTP, as its firmware would fetch it (the server maps by node IP).
    expect(readPersist("vn1", "tftp-2")).toStartWith("#!ipxe");
    expect(readPersist("vn1", "tftp-2")).toContain("walt.root=/var/lib/walt/nodes/${mac}/fs");
    expect(readPersist("vn1", "http-2")).toBe(readPersist("vn1", "tftp-2"));
    const events = (await timelines("vn1")).at(-1)?.events.map((e) => `${e.kind} ${e.detail}`) ?? [];
    expect(events).toContain("boot-file tftp start.ipxe");
    expect(events).toContain("boot-file http start.ipxe");
    // Now that the agent's pages are known, the initramfs read them ahead (walt-prefetch).
    expect(events.find((d) => d.startsWith("step read-ahead: "))).toMatch(/; agent read ahead: \d+ ranges, [\d.]+ MB$/);
  }, 240_000);

  test("walt node reboot soft-reboots vn1 through its network service (boot 3); --hard still kills its VM (boot 4)", async () => {
    if (!env) throw new Error("no server");
    const e = env;
    const down = (method: string): number => e.stderr().split("\n").filter((l) => l.includes(`platform.nodes: node vn1 is down (cause: reboot requested, method: ${method})`)).length;
    const mac = readlinkSync(join(e.dataDir, "nodes", "vn1"));
    const qemuOfVn1 = async (): Promise<number | undefined> => {
      for (const p of await e.ns.processes()) if (p.comm.startsWith("qemu") && readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(mac)) return p.pid;
      return undefined;
    };
    // The agent started `walt agent service` before the hand-over: the server's REBOOT reaches it, the guest
    // runs `reboot -f`, its qemu (-no-reboot) exits by itself and the supervisor boots it again.
    const softBefore = down("soft-reboot");
    const firstQemu = await qemuOfVn1();
    expect(firstQemu).toBeDefined();
    expect(await ok("node", "reboot", "vn1")).toBe("Node vn1: rebooted ok.\n");
    await waitBoot("vn1", 3);
    expect(readPersist("vn1", "boots")).toBe("3");
    expect(readPersist("vn1", "root-marker-3")).toBe("absent");
    expect(down("soft-reboot")).toBe(softBefore + 1);
    const soft = (await timelines("vn1")).at(-1);
    expect(soft?.cause).toBe("reboot requested");
    expect(soft?.events.map((ev) => `${ev.kind} ${ev.detail}`).slice(0, 2)).toEqual(["boot-start reboot requested", "boot-start method: soft-reboot"]);
    expect(soft?.events.some((ev) => ev.detail.startsWith("net-service: ok, walt agent service started"))).toBe(true);
    const secondQemu = await qemuOfVn1();
    expect(secondQemu).not.toBe(firstQemu);
    // --hard skips the node's service: the server kills the VM.
    const hardBefore = down("vnode hard-reboot");
    expect(await ok("node", "reboot", "--hard", "vn1")).toBe("Node vn1: rebooted ok.\n");
    await waitBoot("vn1", 4);
    expect(readPersist("vn1", "boots")).toBe("4");
    expect(down("vnode hard-reboot")).toBe(hardBefore + 1);
    expect(down("soft-reboot")).toBe(softBefore + 1);
    expect((await timelines("vn1")).at(-1)?.events[1]?.detail).toBe("method: vnode hard-reboot");
  }, 300_000);

  test("nfs-ganesha killed: the server restarts it and a running node's /persist works again", async () => {
    if (!env) throw new Error("no server");
    const ns = env.ns;
    const ganesha = (await ns.processes()).find((p) => p.comm === "ganesha.nfsd");
    expect(ganesha).toBeDefined();
    process.kill(ganesha?.pid ?? 0, "SIGKILL");
    await waitFor(async () => (await ns.processes()).some((p) => p.comm === "ganesha.nfsd" && p.pid !== ganesha?.pid), "ganesha restarted", 30_000, 100);
    const seen = new Set<string>();
    await waitFor(
      () => {
        seen.add(readPersist("vn2", "heartbeat"));
        return seen.size >= 4;
      },
      "vn2's heartbeat on /persist after the restart",
      120_000,
      200,
    );
    expect(env.stderr()).toContain("nfs: ganesha died, restarting");
  }, 180_000);

  test("walt node boot switches vn1 to a second image and it comes back on it", async () => {
    const clone = await ok("image", "clone", "walt:waltplatform/pc-x86-64-second");
    expect(clone).toContain("pc-x86-64-second");
    expect(await ok("node", "boot", "vn1", "pc-x86-64-second")).toBe("Node vn1 will now boot pc-x86-64-second.\nNode vn1: rebooted ok.\n");
    await waitBoot("vn1", 5);
    // The node rebooted itself: its root export stayed on the old image until its VM restarted (held-roots.ts).
    expect((await timelines("vn1")).at(-1)?.events[1]?.detail).toBe("method: soft-reboot");
    expect(readPersist("vn1", "flavour-5")).toBe("second");
    expect(readPersist("vn1", "flavour-4")).toBe("default");
    expect((await showRow("vn1"))[3]).toBe("pc-x86-64-second");
  }, 240_000);

  test("walt node remove stops vn2's VM, removes its tap and its boot tree", async () => {
    if (!env) throw new Error("no server");
    const mac = readlinkSync(join(env.dataDir, "nodes", "vn2"));
    const tap = `wt${mac.replace(/:/g, "")}`;
    expect((await env.ns.exec(["ip", "link", "show", "dev", tap])).out).toContain("master walt-net");
    expect(await ok("node", "remove", "vn2")).toBe("");
    expect((await env.ns.exec(["ip", "link", "show", "dev", tap])).code).not.toBe(0);
    expect((await env.ns.processes()).filter((p) => p.comm.startsWith("qemu"))).toHaveLength(1);
    expect(existsSync(join(env.dataDir, "nodes", mac))).toBe(false);
    expect(await ok("node", "show", "--all")).not.toContain("vn2");
  }, 60_000);

  test("the boot timeline shows DHCP, the kernel, the root mount, the agent's steps and booted", async () => {
    const last = (await timelines("vn1")).at(-1);
    expect(last?.cause).toBe("image change");
    expect(last?.image).toBe("alice/pc-x86-64-second:latest");
    expect(last?.bootedUs).toBeGreaterThan(0);
    const kinds = new Set(last?.events.map((e) => e.kind));
    for (const k of ["boot-start", "kernel", "dhcp", "root-mounted", "step", "booted"]) expect(kinds).toContain(k);
    expect(last?.events.find((e) => e.detail.startsWith("swap: "))?.detail).toContain("RAM overlay tmpfs now size=8G");
  }, 30_000);

  test("the server stops cleanly: VMs, ganesha and mounts are gone", async () => {
    if (!env) throw new Error("no server");
    await ok("node", "config", "vn1", "boot.delay=0");
    env.server.kill("SIGTERM");
    expect(await env.server.exited).toBe(0);
    expect(await env.ns.processes()).toEqual([]);
    const mounts = readFileSync("/proc/self/mounts", "utf8");
    expect(mounts).not.toContain(env.tmp.path);
  }, 60_000);

  test("restarted with `virtual-nodes.bootloader: pxe`, the server boots vn1 again through qemu's iPXE ROM", async () => {
    if (!env) throw new Error("no server");
    const previous = env.stderr();
    const started = await startServer(env.ns, env.tmp.path, serverConf(env.tmp.path, "virtual-nodes:\n  bootloader: pxe\n"));
    env.server = started.server;
    env.stderr = () => previous + started.stderr();
    await waitBoot("vn1", 6);
    expect(readPersist("vn1", "flavour-6")).toBe("second");
    const boot = (await timelines("vn1")).at(-1);
    expect(boot?.cause).toBe("server start");
    const details = boot?.events.map((e) => `${e.kind} ${e.detail}`) ?? [];
    expect(details).toContain("boot-file qemu iPXE ROM (PXE boot)");
    expect(details.some((d) => d.startsWith("dhcp offer") && d.includes("boot file http://192.168.152.1/boot/start.ipxe"))).toBe(true);
    expect(details).toContain("boot-file http start.ipxe");
    expect(details).toContain("kernel http kernel");
    env.server.kill("SIGTERM");
    expect(await env.server.exited).toBe(0);
    expect(await env.ns.processes()).toEqual([]);
  }, 240_000);
});

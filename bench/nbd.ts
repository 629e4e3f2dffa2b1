/**
 * NBD swap server throughput: sequential 4 KiB and 1 MiB writes then reads (one request in flight, as the minimal
 * test client does), against our server and Debian's reference `nbd-server` (apt-get install nbd-server) in the same
 * run, each in its own process on loopback, each backed by a sparse temporary file in the same directory.
 * Prints both figures and the ratio (ours / nbd-server) side by side.
 *
 * `bun bench/nbd.ts --serve <dir>` is the child mode that runs our server and prints its port.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createLogger } from "../src/log.ts";
import { createNbdServer } from "../server/nbd/server.ts";
import { NbdTestClient } from "../test/helpers/nbd-client.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const EXPORT_BYTES = 2048 * MiB;
/** Bytes moved per pass, per block size (each pass takes about half a second on loopback). */
const VOLUME: Record<number, number> = { [4 * KiB]: 32 * MiB, [MiB]: 1024 * MiB };
const ROUNDS = 5;
const CASES = [
  { name: "write 4 KiB", op: "write", block: 4 * KiB },
  { name: "read 4 KiB", op: "read", block: 4 * KiB },
  { name: "write 1 MiB", op: "write", block: MiB },
  { name: "read 1 MiB", op: "read", block: MiB },
] as const;

/** MiB/s of one pass of `count` sequential requests of `block` bytes. */
async function pass(c: NbdTestClient, op: "read" | "write", block: number): Promise<number> {
  const count = (VOLUME[block] ?? 0) / block;
  const data = Uint8Array.from({ length: block }, (_, i) => (i * 13) & 255);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    if (op === "write") await c.write(i * block, data);
    else await c.read(i * block, block);
  }
  return (count * block) / MiB / ((performance.now() - t0) / 1000);
}

/**
 * Best of ROUNDS for each case, alternating between the servers round by round, so that load from other processes
 * on the machine hits both alike.
 */
async function measure(clients: NbdTestClient[]): Promise<Map<string, number[]>> {
  const best = new Map<string, number[]>();
  for (const k of CASES) {
    const b = clients.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of clients.entries()) b[i] = Math.max(b[i] ?? 0, await pass(c, k.op, k.block));
    }
    best.set(k.name, b);
  }
  return best;
}

async function waitForLine(p: Subprocess<"ignore", "pipe", "pipe">, re: RegExp): Promise<RegExpExecArray> {
  const reader = p.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const m = re.exec(text);
    if (m) {
      reader.releaseLock();
      return m;
    }
  }
  throw new Error(`child did not print ${re}: ${text}`);
}

function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
  const port = l.port;
  l.stop(true);
  return port;
}

/** Connect, retrying while the port is not open yet (nbd-server prints nothing when ready, and with -d serves only
 * one connection, so a probe connection would use it up). */
async function connectWhenUp(port: number): Promise<NbdTestClient> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await NbdTestClient.connect(port);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await Bun.sleep(20);
    }
  }
}

/** Our server in a child process (as the reference runs in its own); resolves with its port. */
async function startOurs(dir: string): Promise<{ port: number; child: Subprocess<"ignore", "pipe", "pipe"> }> {
  const child = Bun.spawn([process.execPath, import.meta.path, "--serve", join(dir, "ours")], { stdout: "pipe", stderr: "pipe" });
  return { port: Number((await waitForLine(child, /PORT (\d+)/))[1]), child };
}

/** Debian's nbd-server in the foreground with a temporary sparse export, or the reason it cannot run. */
function startReference(dir: string): { port: number; child: Subprocess<"ignore", "ignore", "pipe"> } | string {
  const bin = Bun.which("nbd-server", { PATH: `${process.env["PATH"] ?? ""}:/usr/sbin:/usr/bin` });
  if (bin === null) return "nbd-server not installed (apt-get install nbd-server)";
  const port = freePort();
  const conf = join(dir, "nbd-server.conf");
  writeFileSync(
    conf,
    `[generic]\nlistenaddr = 127.0.0.1\nport = ${port}\nallowlist = false\n\n` +
      `[swap]\nexportname = ${join(dir, "reference-swap")}\ntemporary = true\nfilesize = ${EXPORT_BYTES}\nflush = true\ntrim = true\n`,
  );
  // -d: do not fork; it stays our child and serves one client, which is all the benchmark uses.
  return { port, child: Bun.spawn([bin, "-C", conf, "-d"], { stdout: "ignore", stderr: "pipe" }) };
}

export async function benchNbd(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "walt-bench-nbd-"));
  const ours = await startOurs(dir);
  const ref = startReference(dir);
  try {
    const clients = [await connectWhenUp(ours.port)];
    await clients[0]?.go(`swap-${EXPORT_BYTES / MiB}M`);
    if (typeof ref !== "string") {
      const c = await connectWhenUp(ref.port);
      await c.go("swap");
      clients.push(c);
    }
    const figures = await measure(clients);
    for (const c of clients) await c.disconnect();
    console.log(`NBD sequential throughput, one request in flight, loopback, MiB/s (best of ${ROUNDS}, servers alternating):`);
    console.log(`  ${"case".padEnd(12)} ${"walt".padStart(9)} ${"nbd-server".padStart(11)} ${"ratio".padStart(7)}`);
    const result: Record<string, number> = {};
    for (const [k, [v = 0, r]] of figures) {
      console.log(`  ${k.padEnd(12)} ${v.toFixed(1).padStart(9)} ${(r?.toFixed(1) ?? "-").padStart(11)} ${(r ? (v / r).toFixed(2) : "-").padStart(7)}`);
      result[`walt ${k}`] = v;
      if (r) result[`ratio ${k}`] = v / r;
    }
    if (typeof ref === "string") console.log(`  (${ref})`);
    return result;
  } finally {
    for (const p of [ours.child, typeof ref === "string" ? undefined : ref.child]) {
      p?.kill();
      await p?.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serve(dir: string): Promise<void> {
  const server = createNbdServer({ host: "127.0.0.1", port: 0, swapDir: dir, maxExportBytes: EXPORT_BYTES, logger: createLogger({ level: "error" }) });
  await server.start();
  console.log(`PORT ${server.port}`);
  // Stopping closes the listener and every connection; the process then ends on its own.
  process.on("SIGTERM", () => void server.stop(AbortSignal.timeout(2000)));
}

if (import.meta.main) {
  const i = process.argv.indexOf("--serve");
  if (i >= 0) await serve(process.argv[i + 1] ?? join(tmpdir(), "walt-nbd-bench"));
  else await benchNbd();
}

/**
 * TFTP throughput on loopback: a 50 MB file fetched by atftp from our server and from Debian's tftpd-hpa,
 * side by side in one run (goal: ratio ≥ 1.0, issue 5). tftpd-hpa does not implement windowsize (RFC 7440),
 * so our server is measured both in lockstep (windowsize 1, like for like) and with windowsize 8.
 * Run: `bun bench/tftp.ts` as root (tftpd-hpa is started with --user root on a free port).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../src/log.ts";
import { staticRoute } from "../server/tftp/routes.ts";
import { createTftpServer } from "../server/tftp/server.ts";
import { UdpPeer } from "../test/helpers/tftp-client.ts";
import { median } from "./lib.ts";

const SIZE = 50_000_000;
const RUNS = 5;
const BLKSIZES = [512, 1468, 8192];

export async function benchTftp(): Promise<Record<string, number>> {
  const atftp = Bun.which("atftp");
  const hpa = Bun.which("in.tftpd") ?? Bun.which("in.tftpd", { PATH: "/usr/sbin:/sbin" });
  if (!atftp || !hpa) {
    console.log("tftp: skipped (needs atftp and tftpd-hpa: apt-get install atftp tftpd-hpa)");
    return {};
  }
  const dir = mkdtempSync(join(tmpdir(), "walt-bench-tftp-"));
  const content = randomBytes(SIZE);
  writeFileSync(join(dir, "big.bin"), content);
  const ours = createTftpServer({ host: "127.0.0.1", port: 0, routes: [staticRoute(dir)], logger: silentLogger });
  await ours.start();
  const hpaPort = await freeUdpPort();
  const daemon = Bun.spawn([hpa, "--foreground", "--listen", "--address", `127.0.0.1:${hpaPort}`, "--secure", "--user", "root", dir], { stdout: "ignore", stderr: "pipe" });
  const figures: Record<string, number> = {};
  try {
    await waitUntilAnswering(hpaPort);
    const fetch = async (port: number, blksize: number, windowsize: number | null): Promise<number> => {
      const out = join(dir, "out.bin");
      const argv = [atftp, "--get", "-r", "big.bin", "-l", out, "--option", `blksize ${blksize}`];
      if (windowsize !== null) argv.push("--option", `windowsize ${windowsize}`);
      const t0 = performance.now();
      const p = Bun.spawn([...argv, "127.0.0.1", String(port)], { stdout: "ignore", stderr: "pipe" });
      if ((await p.exited) !== 0) throw new Error(`atftp failed: ${await new Response(p.stderr).text()}`);
      const s = (performance.now() - t0) / 1000;
      if (!readFileSync(out).equals(content)) throw new Error(`atftp got a different file from port ${port}`);
      rmSync(out);
      return SIZE / 1e6 / s;
    };
    console.log(`\n## TFTP, ${SIZE / 1e6} MB on loopback, atftp client, median of ${RUNS} (MB/s, 1 MB = 10^6 bytes)`);
    console.log("| blksize | tftpd-hpa | walt w1 | ratio w1 | walt w8 | ratio w8 |");
    console.log("|---:|---:|---:|---:|---:|---:|");
    for (const blksize of BLKSIZES) {
      const runs = { hpa: [] as number[], w1: [] as number[], w8: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        // Interleaved so that a noisy neighbour hurts both servers alike.
        runs.hpa.push(await fetch(hpaPort, blksize, null));
        runs.w1.push(await fetch(ours.port, blksize, 1));
        runs.w8.push(await fetch(ours.port, blksize, 8));
      }
      const [h, w1, w8] = [median(runs.hpa), median(runs.w1), median(runs.w8)];
      Object.assign(figures, { [`hpa_${blksize}`]: h, [`walt_w1_${blksize}`]: w1, [`walt_w8_${blksize}`]: w8 });
      console.log(`| ${blksize} | ${h.toFixed(1)} | ${w1.toFixed(1)} | ${(w1 / h).toFixed(2)} | ${w8.toFixed(1)} | ${(w8 / h).toFixed(2)} |`);
    }
  } finally {
    daemon.kill();
    await daemon.exited;
    await ours.stop(AbortSignal.timeout(2000));
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function freeUdpPort(): Promise<number> {
  const s = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
  const port = s.port;
  s.close();
  return port;
}

/** tftpd-hpa is ready when it answers a request for a missing file with an error packet. */
async function waitUntilAnswering(port: number): Promise<void> {
  using peer = await UdpPeer.open();
  for (let i = 0; i < 100; i++) {
    peer.send({ op: "rrq", filename: "no-such-file", mode: "octet", options: [] }, port);
    if ((await peer.next(50))?.packet?.op === "error") return;
  }
  throw new Error(`tftpd-hpa did not answer on 127.0.0.1:${port}`);
}

if (import.meta.main) await benchTftp();

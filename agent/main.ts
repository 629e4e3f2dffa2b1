/**
 * `walt agent …`: runs inside node images. `walt agent init` is walt-init, PID 1 for the boot phase (started by
 * WALT's initramfs, see init.ts); `walt agent service` is the node's network service (TCP 12346, WALT's
 * walt-net-service), which walt-init starts detached; `walt agent` alone states its version and the steps.
 */
import { writeSync } from "node:fs";
import { systemClock } from "../src/clock.ts";
import { VERSION } from "../src/version.ts";
import { runInit } from "./init.ts";
import { runService } from "./service/main.ts";
import { createRealSys, DEFAULT_PATH } from "./sys/real.ts";

/** The boot sequence walt-init performs, in order (WALT §3.8); the network and the NFS root come from the initramfs. */
export const AGENT_STEPS = [
  "mount /proc, /sys, /dev and /run if missing",
  "read the kernel command line (walt.server=, walt.persist=, …) and what the initramfs did",
  "find the image root, read-only over NFS",
  "detect hybrid boot (a local ext4 partition with walt_hybrid/)",
  "mount the final root: RAM overlay (tmpfs upper) over the image, or the hybrid overlay",
  "mount /persist read-write",
  "enable swap over NBD (with zswap when available)",
  "switch to the final root, report each step to the server",
  "start the node's network service (walt agent service, TCP 12346: soft reboots)",
  "hand over to the image's /sbin/init",
] as const;

/** As PID 1, returning means a kernel panic: give a reboot that was started the time to happen first. */
const PID1_LAST_WAIT_MS = 30_000;

function help(): void {
  process.stdout.write(`walt agent ${VERSION}\n`);
  process.stdout.write("As walt-init (walt agent init [--not-pid1-ok]), this agent runs these steps:\n");
  AGENT_STEPS.forEach((s, i) => process.stdout.write(`  ${i + 1}. ${s}\n`));
  process.stdout.write("walt agent service [--port N] [--boot-mode M]: the node's network service (TCP 12346: PING, REBOOT, DMESG…)\n");
}

async function init(args: string[]): Promise<number> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env["PATH"] ??= DEFAULT_PATH;
  // Synchronous: a line buffered by the stream would be lost by the execve or the reboot that follows it.
  const out = (line: string): void => {
    try {
      writeSync(1, line + "\n");
    } catch {
      // A console that cannot be written to must not stop the boot.
    }
  };
  const code = await runInit({
    sys: createRealSys({ env }),
    out,
    err: (line) => void process.stderr.write(line + "\n"),
    pid: process.pid,
    args,
    env,
    clock: systemClock,
    sleep: (ms) => Bun.sleep(ms),
    onUncaught: (handler) => {
      process.on("uncaughtException", (e) => void handler(e));
      process.on("unhandledRejection", (e) => void handler(e));
    },
  });
  if (code !== 0 && process.pid === 1) await Bun.sleep(PID1_LAST_WAIT_MS);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "version" || sub === "--version") {
    help();
    return 0;
  }
  if (sub === "init") return init(rest);
  if (sub === "service") return runService(rest, (line) => void process.stderr.write(line + "\n"));
  process.stderr.write(`walt agent: unknown sub-command '${sub}'.\nHint: walt agent --help\n`);
  return 2;
}

/**
 * `walt agent …`: runs inside node images as walt-init (PID 1 for the boot phase). The boot steps
 * themselves arrive with network boot; for now the entry point states its version and the steps it
 * will run, so images and tests can already call it.
 */
import { VERSION } from "../src/version.ts";

/** The boot sequence walt-init performs, in order (WALT §3.8). */
export const AGENT_STEPS = [
  "mount /proc, /sys, /dev and /run if missing",
  "bring the network up and set a unique hostname (NFSv4 client id)",
  "mount the image root read-only over NFS",
  "detect hybrid boot (a local disk with a walt_hybrid partition)",
  "stack a RAM overlay (tmpfs upper) over the read-only root",
  "mount /persist read-write",
  "enable swap over NBD (with zswap when available)",
  "report each step to the server",
  "hand over to the image's /sbin/init",
] as const;

export async function main(argv: string[]): Promise<number> {
  const [sub] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "version" || sub === "--version") {
    process.stdout.write(`walt agent ${VERSION}\n`);
    process.stdout.write("As walt-init, this agent will run these steps:\n");
    AGENT_STEPS.forEach((s, i) => process.stdout.write(`  ${i + 1}. ${s}\n`));
    return 0;
  }
  process.stderr.write(`walt agent: unknown sub-command '${sub}'.\nHint: walt agent --help\n`);
  return 2;
}

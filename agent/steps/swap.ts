/**
 * Step `swap` (WALT §3.8 step 5, walt-init-nbd): swap over NBD from the server, so the RAM overlay can grow past
 * the node's memory. The agent attaches /dev/nbd0 itself (agent/nbd: TCP handshake, then the socket handed to the
 * kernel over generic netlink), so any image with the nbd module, mkswap and swapon gets swap, busybox ones
 * included; the `nbd-client` command is only a fallback when that path fails, and the step says why. Then zswap
 * is enabled (compressed cache in front of the network swap) and the RAM overlay's tmpfs is remounted with
 * size=8G, as WALT does. A failure here never stops the boot.
 */
import type { Sys } from "../sys/sys.ts";
import { failed, ok, skipped, type Step } from "./step.ts";

export const NBD_DEVICE = "/dev/nbd0";
const NBD_INDEX = 0;
/** WALT's tmpfs size once swap backs it. */
export const RW_SIZE_WITH_SWAP = "8G";
const NBD_PORT = 10809;
const ZSWAP = "/sys/module/zswap";
const NBD_TIMEOUT_MS = 30_000;

/** What is missing for swap over NBD (empty when all is there). */
async function missingPieces(sys: Sys): Promise<string[]> {
  const missing: string[] = [];
  if (!((await sys.exists("/sys/module/nbd")) || (await sys.modprobe("nbd")))) missing.push("kernel module nbd");
  for (const cmd of ["mkswap", "swapon"]) if (!(await sys.which(cmd))) missing.push(`command ${cmd}`);
  return missing;
}

/** The error text of the `nbd-client` command, or undefined when it connected /dev/nbd0. */
async function connectWithCommand(sys: Sys, server: string, name: string): Promise<string | undefined> {
  if (!(await sys.which("nbd-client"))) return "no nbd-client command to fall back on";
  const r = await sys.spawn(["nbd-client", "-N", name, server, NBD_DEVICE, "-swap"], { timeoutMs: NBD_TIMEOUT_MS });
  if (r.code === 0) return undefined;
  // busybox's nbd-client applet knows no -swap and wants the port spelled out.
  const b = await sys.spawn(["nbd-client", "-N", name, server, String(NBD_PORT), NBD_DEVICE], { timeoutMs: NBD_TIMEOUT_MS });
  return b.code === 0 ? undefined : `nbd-client: ${r.stderr.trim() || `exit code ${r.code}`}`;
}

type Attached = { by: "agent" | "nbd-client"; note?: string } | { error: string };

/** Connect /dev/nbd0 to the server's swap export: the agent's own client first, then the command. */
async function attach(sys: Sys, server: string, name: string): Promise<Attached> {
  let reason: string;
  try {
    await sys.nbdConnect(server, NBD_PORT, name, NBD_INDEX);
    return { by: "agent" };
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  const err = await connectWithCommand(sys, server, name);
  if (err !== undefined) return { error: `${reason}; ${err}` };
  return { by: "nbd-client", note: `nbd-client used, the agent's NBD client failed: ${reason}` };
}

async function detach(sys: Sys, by: "agent" | "nbd-client"): Promise<void> {
  if (by === "nbd-client") await sys.spawn(["nbd-client", "-d", NBD_DEVICE]);
  else await sys.nbdDisconnect(NBD_INDEX).catch(() => undefined);
}

export const swapStep: Step = {
  name: "swap",
  label: "Setting up swap over NBD",
  async run({ sys, state, out }) {
    const missing = await missingPieces(sys);
    if (missing.length > 0) {
      const msg = `no swap over NBD: missing ${missing.join(", ")}`;
      out(`walt-init: ${msg}`);
      return skipped(msg);
    }
    if (!(await sys.exists(NBD_DEVICE))) return skipped(`no swap over NBD: no ${NBD_DEVICE}`);
    const server = state.config.server ?? "";
    const name = `swap-${state.config.swap}`;
    const attached = await attach(sys, server, name);
    if ("error" in attached) return failed(attached.error);
    for (const cmd of ["mkswap", "swapon"]) {
      const r = await sys.spawn([cmd, NBD_DEVICE]);
      if (r.code !== 0) {
        await detach(sys, attached.by);
        return failed(`${cmd} ${NBD_DEVICE}: ${r.stderr.trim() || `exit code ${r.code}`}`);
      }
    }
    const done = [`${name} from ${server} on ${NBD_DEVICE}`, ...(attached.note === undefined ? [] : [attached.note])];
    if (await sys.exists(ZSWAP)) {
      await sys.writeFile(`${ZSWAP}/parameters/enabled`, "1").then(
        () => done.push("zswap enabled"),
        () => done.push("zswap could not be enabled"),
      );
    }
    if (state.rwDir !== undefined) {
      try {
        await sys.mount("tmpfs", state.rwDir, "none", `remount,size=${RW_SIZE_WITH_SWAP}`);
        done.push(`RAM overlay tmpfs now size=${RW_SIZE_WITH_SWAP}`);
      } catch (e) {
        // The reason is kept: it shows in the node's boot timeline (`walt node show --details`).
        done.push(`RAM overlay tmpfs could not be enlarged (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    return ok(done.join(", "));
  },
};

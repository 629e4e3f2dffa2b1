/**
 * WALT's client-side ownership check (client node.py `check_nodes_ownership`, §1.2, §6.8), run before a
 * command changes nodes: errors for non-nodes and for the wrong owner, a warning plus WALT's confirmation
 * prompt for nodes of other users. The server enforces the same rule, so after the user said yes the
 * command calls the server with `force: true`.
 */
import { ownership } from "../../../src/api/devices.ts";
import { WaltError } from "../../../src/errors.ts";
import { formatSentence } from "../../../src/text/sentence.ts";
import type { CliContext } from "../../context.ts";

/** `owned-or-free` (most commands), `owned` (release), `free-or-not-owned` (acquire). */
export type OwnershipMode = "owned-or-free" | "owned" | "free-or-not-owned";

export interface OwnershipOptions {
  mode?: OwnershipMode;
  /** Devices that are not nodes are allowed and not checked (device config, device rename). */
  ignoreOtherDevices?: boolean;
}

const SEE_OWNERSHIP = " See `walt help show node-ownership`.";

/**
 * Check `set` and ask for confirmation when needed. Returns the developed set (comma-separated names) so
 * the caller acts on exactly the devices the user confirmed, even if `my-nodes` / `free-nodes` change meanwhile.
 * Throws a WaltError (exit 1) on refusal, CancelledError when the user answers no.
 */
export async function checkNodesOwnership(ctx: CliContext, set: string, opts: OwnershipOptions = {}): Promise<string> {
  const mode = opts.mode ?? "owned-or-free";
  const api = await ctx.api();
  const o = await ctx.busy(() => api.call(ownership, { set }));
  if (!opts.ignoreOtherDevices && o.notNodes.length > 0) {
    // "a()" disappears in the plural, leaving a double space WALT removes the same way.
    const msg = formatSentence("Error: %s is(are) not a() WalT node(nodes).", o.notNodes, "Device", "Devices").replaceAll("  ", " ");
    throw new WaltError("USAGE", `${msg} Aborting.`);
  }
  if (mode === "free-or-not-owned" && o.owned.length > 0) {
    throw new WaltError("CONFLICT", formatSentence(`Error: %s is(are) already yours.${SEE_OWNERSHIP}`, o.owned, "Node", "Nodes"));
  }
  if (mode === "owned" && o.free.length + o.notOwned.length > 0) {
    throw new WaltError("CONFLICT", formatSentence(`Error: %s is(are) not yours.${SEE_OWNERSHIP}`, [...o.free, ...o.notOwned], "Node", "Nodes"));
  }
  if (mode !== "owned" && o.notOwned.length > 0) {
    ctx.io.stderr.write(formatSentence("Warning: %s seems(seem) to be used by another(other) user(users).", o.notOwned, "Node", "Nodes") + "\n");
    await ctx.confirmOrAbort();
  }
  return [...o.owned, ...o.free, ...o.notOwned, ...o.notNodes].sort().join(",");
}

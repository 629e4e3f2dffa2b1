/**
 * `walt node wait <node_set> [--timeout SECONDS]` (WALT §1.6): block until every node of the set is booted.
 * The busy label names the nodes still pending, updated as they boot (WALT server nodes/wait.py).
 */
import { waitNodes } from "../../../src/api/nodes.ts";
import { WaltError } from "../../../src/errors.ts";
import { formatSentenceAboutNodes } from "../../../src/text/sentence.ts";
import { PROTOCOL_ISSUE } from "../../client.ts";
import type { CommandDef } from "../../framework/types.ts";

/** Label before the server tells which nodes are pending (WALT client node.py). */
export const WAIT_INITIAL_LABEL = "Node bootup notification pending";

/** `Waiting for bootup of node X` / `Waiting for bootup of nodes X and Y`. */
export const waitLabel = (pending: readonly string[]): string => formatSentenceAboutNodes("Waiting for bootup of %s", pending);

export const nodeWait: CommandDef = {
  name: "wait",
  ordering: 17,
  description: "wait for bootup notification of a node (or set of nodes)",
  args: [{ name: "node_set" }],
  switches: [
    {
      names: ["--timeout"],
      metavar: "SECONDS:int",
      type: "int",
      help: "stop if still waiting after this number of seconds; the default is -1",
    },
  ],
  async run(ctx, p) {
    const timeout = typeof p.opts["timeout"] === "number" ? p.opts["timeout"] : -1;
    const api = await ctx.api();
    // WALT arms its alarm only for a positive timeout: 0 and negative values mean "wait forever".
    const events = api.stream(waitNodes, { set: String(p.args["node_set"]), timeoutS: timeout > 0 ? timeout : -1 }, ctx.io.interrupted);
    let pending: string[] = [];
    let label = WAIT_INITIAL_LABEL;
    try {
      for (;;) {
        const r = await ctx.busy(() => events.next(), label);
        if (r.done === true) throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE, { hint: "the server ended `nodes.wait` without a result" });
        const ev = r.value;
        if (ev.kind === "done") return true;
        if (ev.kind === "timeout") {
          ctx.io.stdout.write("Timeout was reached.\n");
          return false;
        }
        pending = ev.kind === "pending" ? ev.names : pending.filter((n) => n !== ev.name);
        if (pending.length > 0) label = waitLabel(pending);
      }
    } finally {
      // Close the response stream (the generator cancels its reader).
      await events.return(undefined);
    }
  },
};

/**
 * `walt log add-checkpoint | remove-checkpoint | list-checkpoints` (WALT §1.8): named points in time of
 * the requester, usable as `--history` bounds. Dates are shown as Python's `str(datetime)` in local time.
 */
import { addCheckpoint, listCheckpoints, removeCheckpoint, serverTime } from "../../../src/api/logs.ts";
import { parseCheckpointDate } from "../../../src/domain/history-range.ts";
import { assertValidCheckpointName } from "../../../src/domain/names.ts";
import { toWallTime } from "../../../src/text/local-time.ts";
import { pyDatetimeStr } from "../../../src/text/py-format.ts";
import { columnate } from "../../../src/text/table.ts";
import type { CommandDef } from "../../framework/types.ts";

/** Python's `str(datetime.fromtimestamp(t))` of an instant in µs. */
export const checkpointDate = (us: number): string => pyDatetimeStr(toWallTime(us));

export const logAddCheckpoint: CommandDef = {
  name: "add-checkpoint",
  ordering: 3,
  description: "Record a checkpoint (reference point in time)",
  args: [{ name: "checkpoint_name" }],
  switches: [{ names: ["--date"], metavar: "LOG_CHECKPOINT_DATE:str", help: "specify date (see walt help show log-checkpoint)" }],
  async run(ctx, p) {
    const name = String(p.args["checkpoint_name"]);
    const date = typeof p.opts["date"] === "string" && p.opts["date"] !== "" ? p.opts["date"] : undefined;
    const api = await ctx.api();
    // WALT checks the date before the name.
    let tsUs: number | null = null;
    if (date !== undefined) {
      const nowUs = date.startsWith("-") ? (await api.call(serverTime, {})).timeUs : 0;
      tsUs = parseCheckpointDate(date, nowUs);
    }
    assertValidCheckpointName(name);
    const cp = await ctx.busy(() => api.call(addCheckpoint, { name, tsUs }));
    ctx.io.stdout.write(`New checkpoint ${cp.name} recorded at server time: ${checkpointDate(cp.tsUs)}.\n`);
  },
};

export const logRemoveCheckpoint: CommandDef = {
  name: "remove-checkpoint",
  ordering: 4,
  description: "Remove a checkpoint",
  args: [{ name: "checkpoint_name" }],
  async run(ctx, p) {
    const api = await ctx.api();
    await ctx.busy(() => api.call(removeCheckpoint, { name: String(p.args["checkpoint_name"]) }));
    ctx.io.stdout.write("Done.\n");
  },
};

export const logListCheckpoints: CommandDef = {
  name: "list-checkpoints",
  ordering: 5,
  description: "List checkpoints",
  async run(ctx) {
    const api = await ctx.api();
    const { checkpoints } = await ctx.busy(() => api.call(listCheckpoints, {}));
    if (checkpoints.length === 0) ctx.io.stdout.write("You own no checkpoints.\n");
    else ctx.io.stdout.write(columnate(["timestamp", "name"], checkpoints.map((c) => [checkpointDate(c.tsUs), c.name])) + "\n");
  },
};

/** Log endpoints: query stream, count, server time, checkpoints. */
import * as api from "../../../src/api/logs.ts";
import type { ServerContext } from "../../context.ts";
import { addCheckpoint, checkpointTime, listCheckpoints, removeCheckpoint } from "../../logs/checkpoints.ts";
import { buildFilter, queryLogs } from "../../logs/query.ts";
import type { Binder } from "../contract.ts";

export function logRoutes(b: Binder, ctx: ServerContext): void {
  b.stream(api.queryLogs, async (i, c) => queryLogs(ctx, c.user, i, c.signal));
  b.call(api.countLogs, async (i, c) => {
    const { filter } = await buildFilter(ctx, c.user, i);
    return { count: await ctx.logs.count(filter, { fromUs: i.history.fromUs ?? undefined, toUs: i.history.toUs ?? undefined }) };
  });
  b.call(api.serverTime, async () => ({ timeUs: ctx.clock.nowUs() }));
  b.call(api.addCheckpoint, async (i, c) => addCheckpoint(ctx, c.user, i.name, i.tsUs));
  b.call(api.removeCheckpoint, async (i, c) => {
    await removeCheckpoint(ctx, c.user, i.name);
    return {};
  });
  b.call(api.listCheckpoints, async (_i, c) => ({ checkpoints: await listCheckpoints(ctx, c.user) }));
  b.call(api.checkpointTime, async (i, c) => ({ tsUs: await checkpointTime(ctx, c.user, i.name) }));
}

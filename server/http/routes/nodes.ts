/** Node endpoints: show, acquire, release, wait. */
import * as api from "../../../src/api/nodes.ts";
import type { WaitEvent } from "../../../src/api/nodes.ts";
import type { ServerContext } from "../../context.ts";
import { deviceInfo } from "../../devices/info.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { resolveNodeSet } from "../../devices/sets.ts";
import { acquireNodes, releaseNodes } from "../../nodes/ownership.ts";
import type { Binder } from "../contract.ts";

export function nodeRoutes(b: Binder, ctx: ServerContext): void {
  const repo = new DeviceRepo(ctx.db);
  // `walt node show` is the most frequent command: the node list is kept until the next write to
  // devices or nodes (Db.changes), so repeated calls skip the query and the mapping.
  let cached: { gen: number; nodes: ReturnType<typeof deviceInfo>[] } | undefined;
  b.call(api.showNodes, async (_i, c) => {
    if (cached?.gen !== ctx.db.changes.generation) {
      const gen = ctx.db.changes.generation;
      const nodes = (await repo.all()).filter((d) => d.type === "node").map((d) => deviceInfo(ctx, d));
      cached = { gen, nodes };
    }
    return { username: c.user, nodes: cached.nodes };
  });
  b.call(api.acquireNodes, async (i, c) => ({ messages: (await acquireNodes(ctx, c.user, i.set, i.force)).messages }));
  b.call(api.releaseNodes, async (i, c) => ({ messages: (await releaseNodes(ctx, c.user, i.set)).messages }));
  b.stream(api.waitNodes, async (i, c) => {
    const nodes = resolveNodeSet(await repo.all(), c.user, i.set);
    return waitEvents(ctx, nodes.map((n) => ({ mac: n.mac, name: n.name })), i.timeoutS, c.signal);
  });
}

/** Events until every node is booted, the timeout expires (seconds, -1 = none) or the client leaves. */
async function* waitEvents(ctx: ServerContext, nodes: { mac: string; name: string }[], timeoutS: number, signal: AbortSignal): AsyncGenerator<WaitEvent> {
  const nameOf = new Map(nodes.map((n) => [n.mac, n.name]));
  let pending = ctx.status.pending(nodes.map((n) => n.mac));
  yield { kind: "pending", names: pending.map((m) => nameOf.get(m) ?? m) };
  const deadline = timeoutS >= 0 ? AbortSignal.timeout(timeoutS * 1000) : undefined;
  const stop = deadline ? AbortSignal.any([signal, deadline]) : signal;
  while (pending.length) {
    const one = new AbortController();
    const both = AbortSignal.any([stop, one.signal]);
    try {
      // Wake up as soon as any pending node boots, to report progress per node.
      await Promise.any(pending.map((m) => ctx.status.waitBooted([m], both)));
    } catch {
      if (deadline?.aborted) yield { kind: "timeout" };
      return;
    } finally {
      one.abort();
    }
    const still = ctx.status.pending(pending);
    for (const m of pending) if (!still.includes(m)) yield { kind: "booted", name: nameOf.get(m) ?? m };
    pending = still;
  }
  yield { kind: "done" };
}

/** Node endpoints: show, acquire, release, wait, create, remove, boot, reboot, boot timelines. */
import * as api from "../../../src/api/nodes.ts";
import type { WaitEvent } from "../../../src/api/nodes.ts";
import type { ServerContext } from "../../context.ts";
import { deviceInfo } from "../../devices/info.ts";
import { DeviceRepo, type DeviceWithNode } from "../../devices/repo.ts";
import { resolveNodeSet } from "../../devices/sets.ts";
import { acquireNodes, releaseNodes } from "../../nodes/ownership.ts";
import { requireOwnedOrFree } from "../../nodes/guard.ts";
import { rebootNodes } from "../../netboot/reboot.ts";
import { bootImage } from "../../netboot/set-image.ts";
import { createVnode, removeVnode } from "../../vnodes/create.ts";
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
  // With network boot, nodes changing owner reboot on their new image (WALT causes `acquire`, `release`).
  const rebootAfter = async (nodes: DeviceWithNode[], messages: string[], cause: string): Promise<{ messages: string[] }> => {
    if (ctx.netboot === undefined) return { messages };
    await ctx.netboot.sync();
    const r = await rebootNodes(ctx, nodes, cause, false);
    return { messages: [...messages, ...r.messages, ...r.errors] };
  };
  b.call(api.acquireNodes, async (i, c) => {
    const r = await acquireNodes(ctx, c.user, i.set, i.force);
    return rebootAfter(r.nodes, r.messages, "acquire");
  });
  b.call(api.releaseNodes, async (i, c) => {
    const r = await releaseNodes(ctx, c.user, i.set);
    return rebootAfter(r.nodes, r.messages, "release");
  });
  b.stream(api.waitNodes, async (i, c) => {
    const nodes = resolveNodeSet(await repo.all(), c.user, i.set);
    return waitEvents(ctx, nodes.map((n) => ({ mac: n.mac, name: n.name })), i.timeoutS, c.signal);
  });
  b.call(api.createNode, async (i, c) => createVnode(ctx, c.user, i.name));
  b.call(api.removeNode, async (i, c) => {
    await removeVnode(ctx, c.user, i.name, i.force);
    return { messages: [] };
  });
  b.call(api.bootNodes, async (i, c) => bootImage(ctx, c.user, i.set, i.image, i.force));
  b.call(api.rebootNodes, async (i, c) => {
    const nodes = resolveNodeSet(await repo.all(), c.user, i.set);
    requireOwnedOrFree(nodes, c.user, i.force);
    return rebootNodes(ctx, nodes, "reboot requested", i.hard);
  });
  b.call(api.bootTimelines, async (i, c) => {
    const nodes = resolveNodeSet(await repo.all(), c.user, i.set);
    const tl = ctx.netboot?.timelines;
    return { nodes: nodes.map((n) => ({ name: n.name, mac: n.mac, ip: n.ip, boots: tl ? [...tl.get(n.mac)].map((r) => ({ ...r, events: [...r.events] })) : [] })) };
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

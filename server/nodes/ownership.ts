/**
 * `walt node acquire` / `walt node release` (WALT §1.6, §6.8), enforced on the server: the owner of a
 * node is the user part of the image it boots; `waltplatform` means free.
 */
import { conflict } from "../../src/errors.ts";
import { defaultImageFullname, formatImageFullname } from "../../src/domain/image-name.ts";
import { formatSentence } from "../../src/text/sentence.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo, type DeviceWithNode } from "../devices/repo.ts";
import { resolveNodeSet, splitOwnership } from "../devices/sets.ts";
import { ImageRepo } from "../images/repo.ts";

/** WALT ownership errors (client node.py templates), as sentences over node names. */
function ownershipError(template: string, names: string[]): never {
  throw conflict(formatSentence(`Error: ${template} See \`walt help show node-ownership\`.`, names, "Node", "Nodes"));
}

/** Release: nodes must be the requester's; they boot their model's default image again. */
export async function releaseNodes(ctx: ServerContext, user: string, set: string): Promise<{ nodes: DeviceWithNode[]; messages: string[] }> {
  const repo = new DeviceRepo(ctx.db);
  const nodes = resolveNodeSet(await repo.all(), user, set);
  const o = splitOwnership(nodes, user);
  const notMine = [...o.free, ...o.notOwned];
  if (notMine.length) ownershipError("%s is(are) not yours.", notMine);
  for (const n of nodes) await repo.setNodesImage([n.mac], defaultImageFullname(n.model ?? "unknown"));
  const names = nodes.map((n) => n.name);
  return {
    nodes,
    messages: [
      formatSentence("%s will now boot its(their) default image (other users will see it(they) is(are) 'free').", names, "Node", "Nodes"),
    ],
  };
}

/** Acquire: nodes must not be the requester's already; others' nodes need `force` (the CLI asks first). */
export async function acquireNodes(ctx: ServerContext, user: string, set: string, force: boolean): Promise<{ nodes: DeviceWithNode[]; messages: string[] }> {
  const repo = new DeviceRepo(ctx.db);
  const images = new ImageRepo(ctx.db);
  const nodes = resolveNodeSet(await repo.all(), user, set);
  const o = splitOwnership(nodes, user);
  if (o.owned.length) ownershipError("%s is(are) already yours.", o.owned);
  if (o.notOwned.length && !force) {
    throw conflict(formatSentence("Warning: %s seems(seem) to be used by another(other) user(users).", o.notOwned, "Node", "Nodes"), "re-run and confirm, or choose free nodes");
  }
  const messages: string[] = [];
  const byModel = new Map<string, DeviceWithNode[]>();
  for (const n of nodes) byModel.set(n.model ?? "unknown", [...(byModel.get(n.model ?? "unknown") ?? []), n]);
  for (const [model, group] of byModel) {
    const target = formatImageFullname(user, `${model}-default`);
    if (!(await images.get(target))) {
      await images.cloneTag(defaultImageFullname(model), target, ctx.clock.nowUs());
      // WALT prints "a defaut image": the typo is fixed on purpose.
      messages.push(`Cloned ${model}-default, a default image for ${model}.`);
    }
    await repo.setNodesImage(group.map((n) => n.mac), target);
  }
  return { nodes, messages };
}

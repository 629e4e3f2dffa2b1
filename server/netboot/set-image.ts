/**
 * `walt node boot <set> <image|default>` (WALT §1.6, `set_image`): the image must be in the user's working set
 * (or `default`: each node's model default image), compatible with every node's model; nodes already on it are
 * ignored, the others switch (database, then boot tree and exports) and reboot with cause `image change`.
 */
import { conflict } from "../../src/errors.ts";
import { defaultImageFullname } from "../../src/domain/image-name.ts";
import { autoglob } from "../../src/text/autoglob.ts";
import { formatSentence, formatSentenceAboutNodes } from "../../src/text/sentence.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo, type DeviceWithNode } from "../devices/repo.ts";
import { resolveNodeSet } from "../devices/sets.ts";
import { lookupImage } from "../images/service/working-set.ts";
import { requireOwnedOrFree } from "../nodes/guard.ts";
import { rebootNodes, type RebootOutcome } from "./reboot.ts";

export const RELEASED_MESSAGE = "%s will now boot its(their) default image (other users will see it(they) is(are) 'free').";

export async function bootImage(ctx: ServerContext, user: string, set: string, imageName: string, force: boolean, cause = "image change"): Promise<RebootOutcome> {
  const repo = new DeviceRepo(ctx.db);
  const nodes = resolveNodeSet(await repo.all(), user, set);
  requireOwnedOrFree(nodes, user, force);
  const messages: string[] = [];
  const targets = new Map<DeviceWithNode, string>();
  if (imageName === "default") {
    for (const n of nodes) targets.set(n, defaultImageFullname(n.model ?? "unknown"));
  } else {
    const found = await lookupImage(ctx, user, imageName);
    messages.push(...found.messages);
    const incompatible = [...new Set(nodes.map((n) => n.model ?? "unknown"))].filter((m) => !found.image.models.includes(m)).sort();
    if (incompatible.length) throw conflict(`Sorry, this image is not compatible with node model(s) ${autoglob(incompatible)}.`);
    for (const n of nodes) targets.set(n, found.image.fullname);
  }
  const ignored = nodes.filter((n) => n.node?.image === targets.get(n));
  const changing = nodes.filter((n) => n.node?.image !== targets.get(n));
  if (ignored.length) messages.push(formatSentence("%s: ignored, it is(they are) already using this image.", ignored.map((n) => n.name), "Node", "Nodes"));
  if (changing.length === 0) return { messages, errors: [] };
  for (const n of changing) await repo.setNodesImage([n.mac], targets.get(n) ?? "");
  const names = changing.map((n) => n.name);
  messages.push(imageName === "default" ? formatSentence(RELEASED_MESSAGE, names, "Node", "Nodes") : formatSentenceAboutNodes(`%s will now boot ${imageName}.`, names));
  // The boot trees switch now; the root exports stay on the old image until each node boots again, so the node
  // can reboot itself (soft reboot) from the root it runs (held-roots.ts).
  ctx.netboot?.holdRoots(changing.map((n) => n.mac));
  await ctx.netboot?.sync();
  const r = await rebootNodes(ctx, changing, cause, false);
  return { messages: [...messages, ...r.messages], errors: r.errors };
}

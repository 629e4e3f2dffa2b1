/**
 * `walt image clone <link> [name] [--force]` (WALT blocking/images/clone.py, §4.5). Everything that can be
 * refused is checked first (link, name, the remote image and its `walt.node.models` label, overwrite and
 * compatibility), so a refusal is a plain error reply; then the image is tagged (`walt:` links: an image of
 * this server) or pulled and tagged, streaming progress.
 *
 * WALT pulled under the remote name, retagged and cleaned up with backups; here blobs go straight into the
 * content-addressed store and only the final tag is written, so a failed or killed clone changes nothing
 * visible and can simply be run again.
 */
import { WaltError, conflict, notFound } from "../../../src/errors.ts";
import { assertValidImageName } from "../../../src/domain/names.ts";
import { formatImageFullname, parseImageFullname } from "../../../src/domain/image-name.ts";
import { formatSentence } from "../../../src/text/sentence.ts";
import type { ImageEvent } from "../../../src/api/images.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { fixImageName, ownImageLinkMessage, parseClonableLink, type ClonableLink, type InspectResult, type RegistryClient } from "../registry/index.ts";
import { labelsOf, parseConfig } from "../store/oci.ts";
import { progressEvents, type Emit } from "./events.ts";
import type { RebootNodes } from "./reboot.ts";
import { findRegistry, registryClient, withCredentialsHint, type RegistryDeps } from "./registries.ts";
import { allImages, type Ctx } from "./working-set.ts";

export const NO_SUCH_REMOTE_IMAGE = "No such remote image. Use walt image search <keyword>.";
export const NO_MODELS_LABEL = "Failed. This remote image does not indicate compatible node models.";
const INCOMPATIBLE =
  "Sorry, cannot proceed. There is an image with the same name in your\n" +
  "working set. Overriding it is not allowed because it is currently\n" +
  "in use, and the target image is not compatible with %s.";

/** WALT's get_image_overwrite_warning. */
export function overwriteWarning(nodesUsing: number): string {
  const reboot = nodesUsing === 0 ? "" : ` (and reboot ${nodesUsing} node(s))`;
  return `An image has the same name in your working set.\nThis operation would overwrite it${reboot}.`;
}

type Source = { kind: "walt"; digest: string } | { kind: "registry"; label: string; client: RegistryClient; repo: string; tag: string; inspected: InspectResult };

export interface ClonePlan {
  user: string;
  target: string;
  /** User-facing name of the clone. */
  name: string;
  source: Source;
  /** The target existed: its nodes are rebooted afterwards. */
  overwrite: boolean;
  /** Stdout lines to print first (the renamed-image notice). */
  notices: string[];
}

export interface CloneRequest {
  link: string;
  name?: string | undefined;
  force: boolean;
}

/** Validate a clone and find what to clone; every WALT refusal is thrown from here. */
export async function planClone(ctx: Ctx, reg: RegistryDeps, user: string, req: CloneRequest, signal?: AbortSignal): Promise<ClonePlan> {
  if (req.name !== undefined) assertValidImageName(req.name);
  const labels = reg.registries.map((r) => r.label);
  const link = parseClonableLink(req.link, labels);
  const notices: string[] = [];
  let name = req.name;
  if (name === undefined) {
    const fixed = fixImageName(`${link.name}:${link.tag}`);
    if (fixed.notice !== undefined) notices.push(fixed.notice);
    name = fixed.name;
  }
  const target = formatImageFullname(user, name);
  const remote = formatImageFullname(link.user, `${link.name}:${link.tag}`);
  const { source, models } = await findSource(ctx, reg, link, remote, signal);
  if (link.location === "walt" && remote === target) throw new WaltError("BAD_REQUEST", ownImageLinkMessage(user));
  const existing = (await allImages(ctx)).find((i) => i.fullname === target);
  if (existing !== undefined) {
    if (existing.inUse) {
      const needed = new Set((await nodesOf(ctx, target)).map((n) => n.model));
      const incompatible = [...needed].filter((m) => !models.includes(m));
      if (incompatible.length > 0) throw conflict(formatSentence(INCOMPATIBLE, incompatible, "node model", "node models"));
    }
    if (!req.force) {
      const shown = parseImageFullname(target).name;
      const command = `walt image clone --force ${req.link}${req.link.endsWith(shown) ? "" : ` ${shown}`}`;
      throw conflict(`${overwriteWarning((await nodesOf(ctx, target)).length)}\nIf this is what you want, rerun with --force:\n$ ${command}`);
    }
  }
  return { user, target, name: parseImageFullname(target).name, source, overwrite: existing !== undefined, notices };
}

async function nodesOf(ctx: Ctx, fullname: string): Promise<{ model: string }[]> {
  return (await new DeviceRepo(ctx.db).all()).filter((d) => d.node?.image === fullname).map((d) => ({ model: d.model ?? "unknown" }));
}

/** Where the image is, and its node models (label `walt.node.models`, mandatory). */
async function findSource(ctx: Ctx, reg: RegistryDeps, link: ClonableLink, remote: string, signal?: AbortSignal): Promise<{ source: Source; models: string[] }> {
  let source: Source;
  let modelsLabel: string | undefined;
  if (link.location === "walt") {
    const digest = await ctx.images.resolve(remote);
    if (digest === undefined) throw notFound(NO_SUCH_REMOTE_IMAGE);
    source = { kind: "walt", digest };
    modelsLabel = labelsOf(await ctx.images.config(digest))["walt.node.models"];
  } else if (link.location === "docker") {
    throw new WaltError("UNAVAILABLE", "Cannot clone from the docker daemon: there is none on this WalT server.", { hint: "push the image to a registry, then clone it from there" });
  } else {
    const r = findRegistry(reg.registries, link.location);
    if (r === undefined) throw new WaltError("INTERNAL", `Registry '${link.location}' is not configured.`);
    const client = registryClient(r, reg);
    const repo = `${link.user}/${link.name}`;
    let inspected: InspectResult;
    try {
      inspected = await client.inspect(repo, link.tag, signal ? { signal } : {});
    } catch (e) {
      if (e instanceof WaltError && e.code === "NOT_FOUND") throw notFound(NO_SUCH_REMOTE_IMAGE);
      throw withCredentialsHint(r.label, e);
    }
    source = { kind: "registry", label: r.label, client, repo, tag: link.tag, inspected };
    modelsLabel = labelsOf(parseConfig(inspected.configBytes))["walt.node.models"];
  }
  if (modelsLabel === undefined) throw new WaltError("PRECONDITION", NO_MODELS_LABEL);
  return { source, models: modelsLabel.split(",") };
}

/** Tag, or pull then tag; `done.result` is the clone's name. */
export async function runClone(ctx: Ctx, plan: ClonePlan, reboot: RebootNodes, emit: Emit<ImageEvent>, signal: AbortSignal): Promise<void> {
  for (const text of plan.notices) emit({ kind: "message", text });
  const src = plan.source;
  if (src.kind === "walt") {
    await ctx.images.tag(plan.target, src.digest);
  } else {
    const label = `Downloading ${src.repo}:${src.tag}`;
    const blobs = [src.inspected.config, ...src.inspected.layers].map((b) => ({ digest: b.digest, size: b.size }));
    emit({ kind: "transfer-start", label, blobs });
    await ctx.images.hold(async () => {
      let pulled;
      try {
        pulled = await src.client.pull(src.repo, src.tag, ctx.images.blobs, progressEvents(emit), { signal });
      } catch (e) {
        throw withCredentialsHint(src.label, e);
      }
      await ctx.images.tag(plan.target, pulled.manifest.digest);
    });
    emit({ kind: "transfer-end", label });
  }
  if (plan.overwrite) {
    await reboot([plan.target], "image change");
    await ctx.images.gc();
  }
  emit({ kind: "done", result: plan.name });
}

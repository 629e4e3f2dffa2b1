/**
 * `walt image publish [--registry R] <image>` (WALT blocking/images/publish.py, §4.10): push an image of the
 * working set to a configured registry as `<remote user>/<name>:<tag>`, the remote user being the registry
 * account (basic auth) or the WALT user (no auth); on the docker hub, the owner's `walt_metadata` index is
 * updated so that `walt image search` finds the image.
 */
import { WaltError, usageError } from "../../../src/errors.ts";
import type { ImageEvent } from "../../../src/api/images.ts";
import type { RegistryConfig } from "../../config/config.ts";
import type { RegistryClient } from "../registry/index.ts";
import { MediaType, labelsOf } from "../store/oci.ts";
import { progressEvents, type Emit } from "./events.ts";
import { addToUserMetadata } from "./hub-search.ts";
import { credentialsFor, findRegistry, missingCredentials, registryClient, withCredentialsHint, type RegistryDeps } from "./registries.ts";
import { lookupImage, type Ctx, type StoredImage } from "./working-set.ts";

export interface PublishPlan {
  image: StoredImage;
  registry: RegistryConfig;
  client: RegistryClient;
  remoteUser: string;
  /** Repository and tag on the registry. */
  repo: string;
  tag: string;
  messages: string[];
}

/** Check the registry, the image and the credentials. */
export async function planPublish(ctx: Ctx, reg: RegistryDeps, user: string, label: string, name: string): Promise<PublishPlan> {
  const registry = findRegistry(reg.registries, label);
  if (registry === undefined) throw usageError(`Invalid registry '${label}'.`);
  const { image, messages } = await lookupImage(ctx, user, name);
  let remoteUser = image.user;
  if (registry.auth === "basic") {
    const creds = credentialsFor(registry, reg.credentials);
    if (creds === undefined) throw missingCredentials(label);
    remoteUser = creds.username;
  }
  const [repoName = "", tag = "latest"] = (image.fullname.split("/")[1] ?? "").split(":");
  return { image, registry, client: registryClient(registry, reg), remoteUser, repo: `${remoteUser}/${repoName}`, tag, messages };
}

/** The published image's clonable link (`:latest` omitted), WALT's `<label>:<user>/<name>`. */
export const publishedLink = (p: PublishPlan): string => `${p.registry.label}:${p.repo}${p.tag === "latest" ? "" : `:${p.tag}`}`;

/** WALT's one failure message, the registry's reason as the hint; refused credentials keep their own line. */
function failed(label: string, e: unknown): unknown {
  if (e instanceof WaltError && e.code === "UNAUTHORIZED") return withCredentialsHint(label, e);
  if (e instanceof WaltError && e.code === "CANCELLED") return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new WaltError(e instanceof WaltError && e.code === "UNAVAILABLE" ? "UNAVAILABLE" : "EXTERNAL", `Failed to communicate with ${label} registry. Aborted.`, { hint: reason, cause: e });
}

export async function runPublish(ctx: Ctx, p: PublishPlan, emit: Emit<ImageEvent>, signal: AbortSignal): Promise<void> {
  for (const text of p.messages) emit({ kind: "message", text });
  const label = `Pushing ${p.image.fullname}`;
  await ctx.images.hold(async () => {
    const manifest = await ctx.images.manifest(p.image.digest);
    const bytes = await ctx.images.blobs.bytes(p.image.digest);
    emit({ kind: "transfer-start", label, blobs: [manifest.config, ...manifest.layers].map((b) => ({ digest: b.digest, size: b.size })) });
    try {
      // One request first, so the auth scheme is known before the concurrent blob uploads (registry/auth.ts
      // answers a basic challenge once: parallel first requests would all be refused).
      await p.client.ping(signal);
      await p.client.push(p.repo, p.tag, bytes, manifest.mediaType ?? MediaType.ociManifest, ctx.images.blobs, progressEvents(emit), { signal });
    } catch (e) {
      throw failed(p.registry.label, e);
    }
  });
  emit({ kind: "transfer-end", label });
  if (p.registry.api === "docker-hub") {
    try {
      const labels = labelsOf(await ctx.images.config(p.image.digest));
      await addToUserMetadata(p.client, p.remoteUser, `${p.repo}:${p.tag}`, labels, signal);
    } catch (e) {
      throw failed(p.registry.label, e);
    }
  }
  emit({ kind: "done", result: publishedLink(p) });
}

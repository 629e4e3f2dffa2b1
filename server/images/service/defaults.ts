/**
 * Default images (WALT §1.4 update-default-images, §4.4). At start the server imports the images of the
 * `default-images` directory (each sub-directory an OCI layout, ref names `waltplatform/<model>-default:latest`
 * and the like) that are absent from the store or newer there (config `created`). `walt advanced
 * update-default-images` does the same, also looking for newer `waltplatform/*-default:latest` images on the
 * configured registries, prints WALT's messages and reboots the nodes booting an updated image.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import type { Logger } from "../../../src/log.ts";
import { parseImageFullname } from "../../../src/domain/image-name.ts";
import type { ImageEvent } from "../../../src/api/images.ts";
import { hostPlatform, type RegistryClient } from "../registry/index.ts";
import { readLayout } from "../store/layout.ts";
import { createdUsOf, isIndexMediaType, modelsOf, parseConfig, parseIndex, parseManifest, type OciDescriptor } from "../store/oci.ts";
import { progressEvents, type Emit } from "./events.ts";
import type { RebootNodes } from "./reboot.ts";
import { registryClient, type RegistryDeps } from "./registries.ts";
import type { Ctx } from "./working-set.ts";

/** A newer version of a default image, somewhere. */
interface Candidate {
  fullname: string;
  createdUs: number;
  /** Shown in `Updating <image> using a newer version from <location>...`. */
  location: string;
  /** Bring it into the store; answers its manifest digest (tagging is the caller's). */
  fetch(emit: Emit<ImageEvent>, signal: AbortSignal): Promise<string>;
}

/** The layouts of `dir`: itself when it is one, and each sub-directory that is one. */
function layoutDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const isLayout = (d: string): boolean => existsSync(join(d, "oci-layout"));
  const subs = readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((d) => statSync(d).isDirectory() && isLayout(d));
  return isLayout(dir) ? [dir, ...subs] : subs;
}

const layoutBlob = (dir: string, digest: string): Promise<Uint8Array> => Bun.file(join(dir, "blobs", "sha256", digest.replace(/^sha256:/, ""))).bytes();

/** Created time and models of a layout image, following an index to this machine's platform. */
async function layoutImageInfo(dir: string, d: OciDescriptor): Promise<{ createdUs: number; models: string[] }> {
  let desc = d;
  for (let depth = 0; isIndexMediaType(desc.mediaType) && depth < 4; depth++) {
    const index = parseIndex(await layoutBlob(dir, desc.digest));
    const arch = hostPlatform().architecture;
    desc = index.manifests.find((m) => m.platform?.os === "linux" && m.platform.architecture === arch) ?? index.manifests[0] ?? desc;
  }
  const config = parseConfig(await layoutBlob(dir, parseManifest(await layoutBlob(dir, desc.digest)).config.digest));
  return { createdUs: createdUsOf(config) ?? 0, models: modelsOf(config) };
}

/** The images of the default-images directory that are absent from the store or newer there. */
async function layoutCandidates(ctx: Ctx, dir: string, log: Logger): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const layout of layoutDirs(dir)) {
    try {
      for (const ref of await readLayout(layout)) {
        if (ref.refName === undefined || !ref.refName.includes("/")) continue;
        const fullname = parseImageFullname(ref.refName).fullname;
        const info = await layoutImageInfo(layout, ref.descriptor);
        if (info.models.length === 0) {
          log.warn("default images: ignored, no walt.node.models label", { image: fullname, layout });
          continue;
        }
        if (!(await isNewer(ctx, fullname, info.createdUs))) continue;
        const refName = ref.refName;
        found.push({
          fullname,
          createdUs: info.createdUs,
          location: layout,
          fetch: async () => {
            const [imported] = await ctx.images.importLayout(layout, refName);
            if (imported === undefined) throw new WaltError("NOT_FOUND", `No image named '${refName}' in the OCI layout ${layout}.`);
            return imported.digest;
          },
        });
      }
    } catch (e) {
      log.warn("default images: layout skipped", { layout, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return found;
}

/** True when the store has no `fullname`, or an older one. */
async function isNewer(ctx: Ctx, fullname: string, createdUs: number): Promise<boolean> {
  const current = await ctx.images.resolve(fullname);
  if (current === undefined) return true;
  return createdUs > (createdUsOf(await ctx.images.config(current)) ?? 0);
}

/** Import and tag candidates, newest first per image; answers the updated full names. */
async function apply(ctx: Ctx, candidates: Candidate[], emit: Emit<ImageEvent>, signal: AbortSignal, quiet?: Logger): Promise<string[]> {
  const best = new Map<string, Candidate>();
  for (const c of candidates) if ((best.get(c.fullname)?.createdUs ?? -1) < c.createdUs) best.set(c.fullname, c);
  const updated: string[] = [];
  await ctx.images.hold(async () => {
    for (const c of [...best.values()].sort((a, b) => (a.fullname < b.fullname ? -1 : 1))) {
      if (!quiet) emit({ kind: "message", text: `Updating ${c.fullname} using a newer version from ${c.location}...` });
      try {
        await ctx.images.tag(c.fullname, await c.fetch(emit, signal));
        updated.push(c.fullname);
      } catch (e) {
        // At start a broken layout must not keep the server down: it is reported and skipped.
        if (!quiet) throw e;
        quiet.warn("default images: import failed", { image: c.fullname, from: c.location, error: e instanceof Error ? e.message : String(e) });
      }
    }
  });
  await ctx.images.gc();
  return updated;
}

/** At server start: import the default images of `dir` that are absent or newer (logged, nothing printed). */
export async function importDefaultImages(ctx: Ctx, dir: string, log: Logger): Promise<string[]> {
  const updated = await apply(ctx, await layoutCandidates(ctx, dir, log), () => undefined, new AbortController().signal, log);
  for (const fullname of updated) log.info("default image imported", { image: fullname, from: dir });
  return updated;
}

const isDefault = (fullname: string): boolean => fullname.startsWith("waltplatform/") && fullname.endsWith("-default:latest");

/** Newer versions of the store's default images on one registry (an image it does not have is skipped). */
async function registryCandidates(ctx: Ctx, client: RegistryClient, label: string, signal: AbortSignal): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const t of await ctx.images.list()) {
    if (!isDefault(t.fullname)) continue;
    const repo = t.fullname.slice(0, -":latest".length);
    let inspected;
    try {
      inspected = await client.inspect(repo, "latest", { signal });
    } catch (e) {
      if (e instanceof WaltError && e.code === "NOT_FOUND") continue;
      throw e;
    }
    const createdUs = createdUsOf(parseConfig(inspected.configBytes)) ?? 0;
    const blobs = [inspected.config, ...inspected.layers].map((b) => ({ digest: b.digest, size: b.size }));
    if (createdUs <= t.createdUs) continue;
    found.push({
      fullname: t.fullname,
      createdUs,
      location: label,
      fetch: async (emit, sig) => {
        const text = `Downloading ${t.fullname}`;
        emit({ kind: "transfer-start", label: text, blobs });
        const pulled = await client.pull(repo, "latest", ctx.images.blobs, progressEvents(emit), { signal: sig });
        emit({ kind: "transfer-end", label: text });
        return pulled.manifest.digest;
      },
    });
  }
  return found;
}

/** `walt advanced update-default-images`. */
export async function updateDefaultImages(ctx: Ctx, dir: string, reg: RegistryDeps, reboot: RebootNodes, emit: Emit<ImageEvent>, signal: AbortSignal): Promise<void> {
  emit({ kind: "message", text: "Checking remote registries..." });
  const candidates = await layoutCandidates(ctx, dir, reg.log);
  for (const r of reg.registries) {
    try {
      candidates.push(...(await registryCandidates(ctx, registryClient(r, reg), r.label, signal)));
    } catch (e) {
      if (signal.aborted) throw e;
      emit({ kind: "warning", text: `Ignoring ${r.label} registry because of a communication failure.` });
    }
  }
  const updated = await apply(ctx, candidates, emit, signal);
  if (updated.length === 0) emit({ kind: "message", text: "No updates available." });
  else await reboot(updated, "image change");
  emit({ kind: "done", result: updated.join(",") });
}

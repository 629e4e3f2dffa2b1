/**
 * `walt image search [keyword]` (WALT blocking/images/search.py, §4.6): images of the other users of this
 * server, then those of each configured registry (docker-registry-v2: catalog, tags, then each image's labels;
 * docker hub: the users' `walt_metadata` index images, hub-search.ts). Only WALT images are listed (label
 * `walt.node.models`); the keyword must be a substring of the clonable link. A registry that cannot be read is
 * skipped with WALT's warning.
 */
import { VERSION } from "../../../src/version.ts";
import type { SearchEvent, SearchMatch } from "../../../src/api/images.ts";
import { stripLatest } from "../../../src/domain/image-name.ts";
import type { RegistryConfig } from "../../config/config.ts";
import { labelsOf, parseConfig } from "../store/oci.ts";
import type { Emit } from "./events.ts";
import { splitFullname, type Found } from "./found.ts";
import { hubImages } from "./hub-search.ts";
import { registryClient, type RegistryDeps } from "./registries.ts";
import { allImages, type Ctx } from "./working-set.ts";

const LONG_LOCATION: Record<string, string> = { walt: "walt (other user)", hub: "docker hub", docker: "docker daemon" };
/** Labels of registry images read at once. */
const INSPECT_CONCURRENCY = 4;

export const linkOf = (location: string, user: string, nameTag: string): string => `${location}:${user}/${stripLatest(nameTag)}`;

/** WALT's clonable_link with `walt.server.minversion`: a too old server cannot clone the image. */
export function linkColumn(location: string, f: Found, version = VERSION): string {
  const min = Number.parseInt(f.labels["walt.server.minversion"] ?? "", 10);
  const v = Number.parseFloat(version);
  // WALT skips the check on development versions (< 1.0).
  if (Number.isInteger(min) && v >= 1.0 && min > v) return `[Need server upgrade, version>=${min}]`;
  return linkOf(location, f.user, f.nameTag);
}

function match(location: string, f: Found): SearchMatch | undefined {
  const models = f.labels["walt.node.models"];
  if (models === undefined) return undefined;
  return { kind: "match", user: f.user, name: stripLatest(f.nameTag), location: LONG_LOCATION[location] ?? "custom registry", models: models.split(","), link: linkColumn(location, f) };
}

export async function searchImages(ctx: Ctx, reg: RegistryDeps, user: string, keyword: string | undefined, emit: Emit<SearchEvent>, signal: AbortSignal): Promise<void> {
  const wanted = (location: string, u: string, nameTag: string): boolean => !keyword || linkOf(location, u, nameTag).includes(keyword);
  const out = (location: string, f: Found): void => {
    const m = match(location, f);
    if (m) emit(m);
  };
  for (const i of await allImages(ctx)) {
    if (i.user === user || !wanted("walt", i.user, i.fullname.split("/")[1] ?? "")) continue;
    out("walt", { user: i.user, nameTag: i.fullname.split("/")[1] ?? "", labels: labelsOf(await ctx.images.config(i.digest)) });
  }
  for (const r of reg.registries) {
    try {
      if (r.api === "docker-hub") {
        for (const f of await hubImages(r, reg, signal)) if (wanted(r.label, f.user, f.nameTag)) out(r.label, f);
      } else {
        await searchRegistryV2(r, reg, wanted, (f) => out(r.label, f), signal);
      }
    } catch (e) {
      if (signal.aborted) throw e;
      reg.log.info("image search: registry skipped", { registry: r.label, error: e instanceof Error ? e.message : String(e) });
      emit({ kind: "warning", text: `Ignoring ${r.label} registry because of a communication failure.` });
    }
  }
}

/** Catalog, tags, then the labels of each wanted image (an image whose labels cannot be read is skipped). */
async function searchRegistryV2(r: RegistryConfig, reg: RegistryDeps, wanted: (l: string, u: string, n: string) => boolean, out: (f: Found) => void, signal: AbortSignal): Promise<void> {
  const client = registryClient(r, reg);
  const todo: { repo: string; user: string; tag: string; nameTag: string }[] = [];
  for (const repo of (await client.catalog()).sort()) {
    const split = splitFullname(repo);
    if (!split) continue;
    for (const tag of (await client.tags(repo)).sort()) {
      const nameTag = `${split.nameTag}:${tag}`;
      if (wanted(r.label, split.user, nameTag)) todo.push({ repo, user: split.user, tag, nameTag });
    }
  }
  for (let i = 0; i < todo.length; i += INSPECT_CONCURRENCY) {
    const batch = todo.slice(i, i + INSPECT_CONCURRENCY);
    const labels = await Promise.all(
      batch.map(async (t) => {
        try {
          return labelsOf(parseConfig((await client.inspect(t.repo, t.tag, { signal })).configBytes));
        } catch (e) {
          if (signal.aborted) throw e;
          reg.log.debug("image search: labels unreadable", { registry: r.label, image: `${t.repo}:${t.tag}` });
          return undefined;
        }
      }),
    );
    batch.forEach((t, k) => {
      const l = labels[k];
      if (l) out({ user: t.user, nameTag: t.nameTag, labels: l });
    });
  }
}

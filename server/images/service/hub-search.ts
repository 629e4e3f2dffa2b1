/**
 * The Docker Hub side of search and publish (WALT blocking/images/metadata.py): the hub has no catalog, so
 * each WALT user keeps an index image `<user>/walt_metadata:latest` whose label `metadata` is
 * base64(JSON `{"walt.user.images": {"<user>/<name>:<tag>": {"labels": {...}}}}`); users are found through
 * the hub's search API. Publishing to the hub adds the image to its owner's index.
 */
import { WaltError } from "../../../src/errors.ts";
import type { RegistryConfig } from "../../config/config.ts";
import type { RegistryClient } from "../registry/index.ts";
import { labelsOf, parseConfig } from "../store/oci.ts";
import { registryClient, type RegistryDeps } from "./registries.ts";
import { splitFullname, type Found } from "./found.ts";

export const HUB_SEARCH_URL = "https://index.docker.io/v1/search";
const MAX_PAGES = 50;

export interface UserMetadata {
  "walt.user.images": Record<string, { labels: Record<string, string> }>;
}

/** The users owning a `walt_metadata` repository on the hub. */
async function hubUsers(reg: RegistryDeps, signal: AbortSignal): Promise<string[]> {
  const fetchFn = reg.fetch ?? ((u: string, i: RequestInit) => fetch(u, i));
  const users: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await fetchFn(`${HUB_SEARCH_URL}?q=walt_metadata&n=100&page=${page}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
    if (!res.ok) throw new WaltError("EXTERNAL", `The docker hub search answered HTTP ${res.status}.`);
    const body = (await res.json()) as { results?: { name?: unknown }[]; num_pages?: unknown };
    for (const r of body.results ?? []) {
      if (typeof r.name === "string" && r.name.endsWith("/walt_metadata")) users.push(r.name.split("/")[0] ?? "");
    }
    if (typeof body.num_pages !== "number" || page >= body.num_pages) break;
  }
  return users.filter((u) => u !== "");
}

/** A user's index (empty when the user has none or it cannot be decoded, as WALT). */
export async function readUserMetadata(client: RegistryClient, user: string, signal?: AbortSignal): Promise<UserMetadata> {
  let configBytes: Uint8Array;
  try {
    configBytes = (await client.inspect(`${user}/walt_metadata`, "latest", signal ? { signal } : {})).configBytes;
  } catch (e) {
    if (e instanceof WaltError && e.code === "NOT_FOUND") return { "walt.user.images": {} };
    throw e;
  }
  try {
    const encoded = labelsOf(parseConfig(configBytes))["metadata"] ?? "";
    const parsed = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as Partial<UserMetadata>;
    return { "walt.user.images": parsed["walt.user.images"] ?? {} };
  } catch {
    return { "walt.user.images": {} };
  }
}

/** Every WALT image the hub's users declare in their index. */
export async function hubImages(r: RegistryConfig, reg: RegistryDeps, signal: AbortSignal): Promise<Found[]> {
  const client = registryClient(r, reg);
  const found: Found[] = [];
  for (const user of await hubUsers(reg, signal)) {
    const meta = await readUserMetadata(client, user, signal);
    for (const [fullname, info] of Object.entries(meta["walt.user.images"]).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const split = splitFullname(fullname);
      if (split) found.push({ ...split, labels: info.labels });
    }
  }
  return found;
}

const enc = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));
const sha = (b: Uint8Array): string => `sha256:${new Bun.CryptoHasher("sha256").update(b).digest("hex")}`;

/** Add `fullname` (with its labels) to `user`'s index image and push it back. */
export async function addToUserMetadata(client: RegistryClient, user: string, fullname: string, labels: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const meta = await readUserMetadata(client, user, signal);
  meta["walt.user.images"][fullname] = { labels };
  const encoded = Buffer.from(JSON.stringify(meta)).toString("base64");
  // An image without layers whose label (and annotation, for OCI-aware readers) carries the index, as WALT's.
  const config = enc({ architecture: "amd64", os: "linux", config: { Labels: { metadata: encoded } }, rootfs: { type: "layers", diff_ids: [] } });
  const mediaType = "application/vnd.docker.distribution.manifest.v2+json";
  const manifest = enc({ schemaVersion: 2, mediaType, config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: sha(config), size: config.byteLength }, layers: [] });
  const source = { get: () => new Blob([config]).stream(), size: () => config.byteLength };
  await client.push(`${user}/walt_metadata`, "latest", manifest, mediaType, source, undefined, signal ? { signal } : {});
}

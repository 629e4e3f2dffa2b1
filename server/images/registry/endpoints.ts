/**
 * The distribution API calls shared by pull, push and the client facade: manifest GET, blob HEAD, list pages.
 * Repository names and references are checked before they go into a URL path.
 */
import { WaltError } from "../../../src/errors.ts";
import { assertSha256, sha256 } from "./digest.ts";
import { corrupted, noSuchImage, unexpected } from "./errors.ts";
import { nextPageUrl } from "./link-header.ts";
import { detectMediaType, MANIFEST_ACCEPT, parseJson } from "./manifest.ts";
import type { Transport } from "./transport.ts";
import type { FetchedManifest } from "./types.ts";

/** Manifests larger than this are refused (the distribution spec's recommended limit). */
const MAX_MANIFEST = 4 * 1024 * 1024;

export const pullScope = (repo: string): string => `repository:${repo}:pull`;
export const pushScope = (repo: string): string => `repository:${repo}:pull,push`;

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function checkRepo(repo: string): void {
  if (!REPO.test(repo) || repo.length > 255) throw new WaltError("BAD_REQUEST", `Invalid repository name "${repo}".`);
}

export function checkRef(ref: string): void {
  if (ref.includes(":")) assertSha256(ref);
  else if (!TAG.test(ref)) throw new WaltError("BAD_REQUEST", `Invalid image tag "${ref}".`);
}

export async function fetchManifest(t: Transport, repo: string, ref: string, signal?: AbortSignal): Promise<FetchedManifest> {
  checkRepo(repo);
  checkRef(ref);
  const res = await t.send({ method: "GET", url: `/v2/${repo}/manifests/${ref}`, scopes: [pullScope(repo)], headers: { accept: MANIFEST_ACCEPT }, signal });
  if (res.status === 404) {
    await res.body?.cancel();
    throw noSuchImage(t.host, repo, ref);
  }
  if (res.status !== 200) throw await unexpected(t.host, `GET manifest ${repo}`, res);
  if (Number(res.headers.get("content-length") ?? 0) > MAX_MANIFEST) {
    await res.body?.cancel();
    throw corrupted(t.host, ref, `manifest larger than ${MAX_MANIFEST} bytes`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.byteLength > MAX_MANIFEST) throw corrupted(t.host, ref, `manifest larger than ${MAX_MANIFEST} bytes`);
  const digest = sha256(bytes);
  // A pinned reference is its own proof; for a tag, check what the registry says the digest is.
  const claimed = ref.includes(":") ? ref : res.headers.get("docker-content-digest");
  if (claimed?.startsWith("sha256:") && claimed !== digest) throw corrupted(t.host, claimed, `its sha256 is ${digest}`);
  return { bytes, mediaType: detectMediaType(res.headers.get("content-type"), parseJson(bytes)), digest };
}

export async function blobExists(t: Transport, repo: string, digest: string, scopes: readonly string[], signal?: AbortSignal): Promise<boolean> {
  const res = await t.send({ method: "HEAD", url: `/v2/${repo}/blobs/${digest}`, scopes, signal });
  await res.body?.cancel();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await unexpected(t.host, `HEAD blob ${digest} of ${repo}`, res);
}

/** Every entry of a paginated list (`_catalog` or `tags/list`), following Link rel="next" headers. */
export async function listAll(t: Transport, firstUrl: string, key: "repositories" | "tags", scopes: readonly string[], onNotFound: () => Error): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  let next: string | undefined = t.resolve(firstUrl);
  while (next !== undefined && !seen.has(next)) {
    seen.add(next);
    const res = await t.send({ method: "GET", url: next, scopes });
    if (res.status === 404) {
      await res.body?.cancel();
      throw onNotFound();
    }
    if (res.status !== 200) throw await unexpected(t.host, `GET ${new URL(next).pathname}`, res);
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const page = body[key];
    if (Array.isArray(page)) for (const v of page) if (typeof v === "string") out.push(v);
    next = nextPageUrl(res.headers.get("link"), next);
  }
  return out;
}

/**
 * Image references `[host[:port]/]repo[:tag][@digest]` with Docker's normalisation (docker.io by default,
 * `library/` for official images), per the grammar of distribution/reference.
 */
import { WaltError } from "../../../src/errors.ts";

export interface ImageReference {
  /** Registry host (with port when given); "docker.io" by default. */
  host: string;
  /** Repository path inside the registry, e.g. "library/debian" or "waltplatform/rpi-default". */
  repo: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB_HOST = "docker.io";
/** The host Docker Hub's distribution API is actually served from. */
export const DOCKER_HUB_API = "https://registry-1.docker.io";

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

const invalid = (s: string): WaltError => new WaltError("BAD_REQUEST", `Invalid image reference "${s}".`);

export function parseReference(s: string): ImageReference {
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(s);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(s);
  }
  let host = DOCKER_HUB_HOST;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // Docker's rule: the first component is a registry host when it looks like one.
    if (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw invalid(s);
      host = first === "index.docker.io" ? DOCKER_HUB_HOST : first;
      rest = rest.slice(slash + 1);
    }
  }
  if (rest === "" || rest.length > 255 || !rest.split("/").every((c) => COMPONENT.test(c))) throw invalid(s);
  if (host === DOCKER_HUB_HOST && !rest.includes("/")) rest = `library/${rest}`;
  return { host, repo: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** What to ask the registry for: the digest when pinned, else the tag ("latest" by default). */
export function referenceRef(r: ImageReference): string {
  return r.digest ?? r.tag ?? "latest";
}

export function formatReference(r: ImageReference): string {
  return `${r.host}/${r.repo}${r.tag === undefined ? "" : `:${r.tag}`}${r.digest === undefined ? "" : `@${r.digest}`}`;
}

/**
 * Base URL of a registry's API. Docker Hub is served from registry-1.docker.io; loopback registries speak
 * plain HTTP (as Docker assumes); anything else HTTPS unless told otherwise.
 */
export function registryBaseUrl(host: string, protocol?: "http" | "https"): string {
  if (host === DOCKER_HUB_HOST) return DOCKER_HUB_API;
  const bare = host.replace(/:[0-9]+$/, "");
  const scheme = protocol ?? (bare === "localhost" || bare.startsWith("127.") || bare === "[::1]" ? "http" : "https");
  return `${scheme}://${host}`;
}

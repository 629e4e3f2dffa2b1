/**
 * WALT's clonable image links (walt-features §4.5): `<location>:<user>/<image_name>[:<tag>]` where location is
 * `docker` (local docker daemon), `walt` (another user of this server) or a configured registry label (`hub`
 * for Docker Hub by default). Messages are WALT's (server clone.py), byte for byte.
 */
import { WaltError } from "../../../src/errors.ts";

export interface ClonableLink {
  location: string;
  user: string;
  /** Image name without tag. */
  name: string;
  /** "latest" when the link has none. */
  tag: string;
}

/** The locations WALT accepts, in WALT's order: docker, walt, then the configured registry labels. */
export function clonableLocations(registryLabels: readonly string[]): string[] {
  return ["docker", "walt", ...registryLabels];
}

export function invalidLinkMessage(registryLabels: readonly string[]): string {
  const format = `[${clonableLocations(registryLabels).join("|")}]:<user>/<image_name>[:<tag>]`;
  return `Invalid clonable image link. Format must be:\n${format}\n(tip: walt image search [<keyword>])`;
}

/**
 * Parse a link, WALT's way: split at the first colon, exactly one slash, at most one colon in the name.
 * Unlike WALT, empty user, name or tag parts are refused too (WALT let `hub:/x:` through to a failed pull).
 */
export function parseClonableLink(link: string, registryLabels: readonly string[]): ClonableLink {
  const bad = (): WaltError => new WaltError("BAD_REQUEST", invalidLinkMessage(registryLabels));
  const colon = link.indexOf(":");
  if (colon < 0) throw bad();
  const location = link.slice(0, colon);
  if (!clonableLocations(registryLabels).includes(location)) throw bad();
  const parts = link.slice(colon + 1).split("/");
  if (parts.length !== 2) throw bad();
  const [user, image] = parts as [string, string];
  const nameTag = image.split(":");
  if (nameTag.length > 2) throw bad();
  const [name, tag = "latest"] = nameTag as [string, string?];
  if (user === "" || name === "" || tag === "") throw bad();
  return { location, user, name, tag };
}

/** `user/name:tag`, the server-side full name of the remote image. */
export function clonableFullname(l: ClonableLink): string {
  return `${l.user}/${l.name}:${l.tag}`;
}

/** The link WALT shows for an image (`:latest` omitted). */
export function formatClonableLink(location: string, user: string, name: string, tag = "latest"): string {
  return `${location}:${user}/${name}${tag === "latest" ? "" : `:${tag}`}`;
}

/** WALT's refusal to clone `walt:<me>/...` (already in the requester's working set). */
export function ownImageLinkMessage(username: string): string {
  return `Invalid clonable image link.\nImages of the form 'walt:${username}/<image_name>' already belong to\nyour working set and thus are not clonable.`;
}

/**
 * The target name when none is given: the remote name (with tag) lower-cased, runs of characters outside
 * [a-z0-9:] replaced by "-"; `notice` is WALT's message when that changed the name.
 */
export function fixImageName(nameWithTag: string): { name: string; notice?: string } {
  const name = nameWithTag.toLowerCase().replace(/[^a-z0-9:]+/g, "-");
  return name === nameWithTag ? { name } : { name, notice: `Image will be recorded as "${name}" since original name is not valid in WALT.` };
}

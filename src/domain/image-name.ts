/**
 * Image full names (common/walt/common/tools.py): server-side `<user>/<repo>:<tag>`; the user-facing name is
 * `<repo>` or `<repo>:<tag>`, `:latest` being omitted.
 */
import { WaltError } from "../errors.ts";

/** The user owning the default images. */
export const DEFAULT_IMAGE_USER = "waltplatform";

/** A parsed full name. */
export interface ParsedImageFullname {
  /** The full name, with `:latest` appended when it had no tag. */
  fullname: string;
  user: string;
  /** The user-facing name: `<repo>` or `<repo>:<tag>`, without `:latest`. */
  name: string;
}

/** WALT's `parse_image_fullname`. Throws WaltError BAD_REQUEST unless there is exactly one `/`. */
export function parseImageFullname(fullname: string): ParsedImageFullname {
  const parts = fullname.split("/");
  const [user, repoTag] = parts;
  if (parts.length !== 2 || user === undefined || repoTag === undefined) {
    throw new WaltError("BAD_REQUEST", `Invalid image fullname '${fullname}'.`);
  }
  if (repoTag.endsWith(":latest")) return { fullname, user, name: repoTag.slice(0, -":latest".length) };
  return { fullname: fullname.includes(":") ? fullname : `${fullname}:latest`, user, name: repoTag };
}

/** WALT's `format_image_fullname`: `<user>/<repo>:<tag>`, tag `latest` when the name has none. */
export function formatImageFullname(user: string, name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? `${user}/${name}:latest` : `${user}/${name.slice(0, colon)}:${name.slice(colon + 1)}`;
}

/** The user-facing form of an image name or full name tail: `:latest` dropped. */
export function stripLatest(name: string): string {
  return name.endsWith(":latest") ? name.slice(0, -":latest".length) : name;
}

/** The default image of a node model: `waltplatform/<model>-default:latest`. */
export function defaultImageFullname(model: string): string {
  return `${DEFAULT_IMAGE_USER}/${model}-default:latest`;
}

/** A clonable link, e.g. `walt:<user>/<name>` or `hub:<user>/<name>` (`:latest` omitted). */
export function formatClonableLink(location: string, fullname: string): string {
  const { user, name } = parseImageFullname(fullname);
  return `${location}:${user}/${name}`;
}

/**
 * Paths inside an image root as a process chrooted there sees them: symlinks are followed with absolute targets
 * taken relative to the root, and `..` never climbs above the root (like `/..` = `/`). So a resolved path always
 * stays under the root, whatever the image's symlinks say. Relative image paths are relative to /root, the
 * working directory of WALT's image containers (transfer.py: get_absolute_path).
 */
import { lstatSync, readlinkSync, statSync } from "node:fs";

const MAX_SYMLINK_HOPS = 40;

/** `/root/<p>` for a relative path (WALT's `./x` form included), the path itself when absolute. */
export function absoluteImagePath(p: string): string {
  if (p.startsWith("/")) return p;
  return `/root/${p.replace(/^(\.\/)+/, "").replace(/^\.$/, "")}`.replace(/\/+$/, "") || "/";
}

const split = (p: string): string[] => p.split("/").filter((c) => c !== "" && c !== ".");

/**
 * The host path of `imagePath` under `root`, every symlink followed (the last one too when `followLast`).
 * Undefined when a component is missing or is not a directory, or on a symlink loop.
 */
export function resolveInImage(root: string, imagePath: string, followLast = true): string | undefined {
  const out: string[] = [];
  const queue = split(absoluteImagePath(imagePath));
  let hops = 0;
  while (queue.length > 0) {
    const c = queue.shift() as string;
    if (c === "..") {
      out.pop();
      continue;
    }
    const host = `${root}/${[...out, c].join("/")}`;
    const st = lstatSync(host, { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    if (st.isSymbolicLink() && (queue.length > 0 || followLast)) {
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      const target = readlinkSync(host);
      if (target.startsWith("/")) out.length = 0;
      queue.unshift(...split(target));
      continue;
    }
    if (queue.length > 0 && !st.isDirectory()) return undefined;
    out.push(c);
  }
  return out.length === 0 ? root : `${root}/${out.join("/")}`;
}

/** The root-relative form (no leading slash, "" for the root) of a host path returned by resolveInImage. */
export const relativeToRoot = (root: string, host: string): string => (host === root ? "" : host.slice(root.length + 1));

/** WALT's file types (`[ -f ]`, `[ -d ]`, following symlinks): f, d, o(ther), or null when absent. */
export function imagePathType(root: string, imagePath: string): "f" | "d" | "o" | null {
  const host = resolveInImage(root, imagePath);
  if (host === undefined) return null;
  const st = statSync(host, { throwIfNoEntry: false });
  if (st === undefined) return null;
  return st.isFile() ? "f" : st.isDirectory() ? "d" : "o";
}

/**
 * Path safety for layer unpacking: every entry name and hard link target is confined to the image root.
 *
 * Rules (a violation aborts the whole unpack with the image name and the entry):
 * - an absolute entry name, or `..` components climbing above the root, are refused;
 * - parent directories are walked one component at a time with lstat. A symlink parent is followed as the
 *   node will see it: an absolute target is taken relative to the image root (e.g. Debian's /var/run -> /run),
 *   a relative target is followed from its own directory and is refused if its `..` climb above the root.
 *   So the directory we finally write into is a real directory inside the root, never reached through a link
 *   that leaves it. The last component is never followed: it is replaced (see unpack-fs.ts).
 */
import { lstatSync, mkdirSync, readlinkSync } from "node:fs";
import { WaltError } from "../../../src/errors.ts";

/** The error of a refused entry (message format fixed by the issue). */
export function refusal(imageName: string, entry: string, reason: string): WaltError {
  return new WaltError("BAD_REQUEST", `Refusing layer entry '${entry}' of image ${imageName}: ${reason}.`);
}

/**
 * The components of an archive member name relative to the root (`./a//b/` → [a, b]; `.` → []).
 * `fail` is called with a reason when the name is absolute or leaves the root.
 */
export function entryParts(name: string, fail: (reason: string) => never): string[] {
  if (name.startsWith("/")) fail("it is an absolute path");
  const parts: string[] = [];
  for (const c of name.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (parts.length === 0) fail("its path leaves the image root");
      parts.pop();
    } else parts.push(c);
  }
  return parts;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves directories inside one image root. Resolved directories are cached until `invalidate()`,
 * which the unpacker calls whenever it removes or replaces a directory or symlink (whiteouts, type changes):
 * a new path cannot change a cached resolution because every cached component existed when it was cached.
 */
export class RootResolver {
  private cache = new Map<string, string>();

  constructor(readonly root: string) {}

  invalidate(): void {
    this.cache.clear();
  }

  /**
   * The real host path of directory `parts`. Missing components are created (mode 0755) when `create`,
   * else the result is undefined. `fail(reason)` is called when a symlink leads out of the root or a
   * component is not a directory.
   */
  dir(parts: readonly string[], create: boolean, fail: (reason: string) => never): string | undefined {
    const key = parts.join("/");
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const out: string[] = [];
    const queue = [...parts];
    let hops = 0;
    let via = "";
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === "" || c === ".") continue;
      if (c === "..") {
        // Only symlink targets bring `..` here (entry names are normalised first).
        if (out.length === 0) fail(`its parent '${via}' is a symbolic link pointing out of the image root`);
        out.pop();
        continue;
      }
      const p = this.host(out, c);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st === undefined) {
        if (!create) return undefined;
        mkdirSync(p, { mode: 0o755 });
        out.push(c);
      } else if (st.isDirectory()) {
        out.push(c);
      } else if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) fail(`too many levels of symbolic links under '${via}'`);
        via = [...out, c].join("/");
        const target = readlinkSync(p);
        if (target.startsWith("/")) out.length = 0;
        queue.unshift(...target.split("/"));
      } else {
        fail(`its parent '${[...out, c].join("/")}' is not a directory`);
      }
    }
    const real = out.length === 0 ? this.root : `${this.root}/${out.join("/")}`;
    this.cache.set(key, real);
    return real;
  }

  /** The root-relative form of a host path under the root (`""` for the root itself). */
  rel(host: string): string {
    return host === this.root ? "" : host.slice(this.root.length + 1);
  }

  private host(out: string[], c: string): string {
    return out.length === 0 ? `${this.root}/${c}` : `${this.root}/${out.join("/")}/${c}`;
  }
}

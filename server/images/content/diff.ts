/**
 * The changes between an image's root filesystem and a modified working copy of it, as an OCI changeset
 * directory ready for writeLayer: added or modified entries (hard links to the working copy, so no data is
 * copied), deleted ones as empty `.wh.<name>` files, and the parent directories of all of them with the
 * working copy's modes, owners and times (a layer entry for a directory replaces its metadata).
 *
 * An entry is unchanged when it is the same inode (a hard-link copy) or when type, mode, owner and, for files,
 * size and mtime in nanoseconds (for symlinks: the target; for devices: the numbers) are equal — rsync's quick
 * check: `cp -a` keeps mtimes, and every way of changing a file's content changes its mtime unless it is set
 * back on purpose. Entries on another filesystem (mount points left over) are ignored.
 */
import { chmodSync, lchownSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, utimesSync, writeFileSync, type BigIntStats } from "node:fs";

type Kind = "d" | "f" | "l" | "o";

const kindOf = (st: BigIntStats): Kind => (st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o");
const parentOf = (rel: string): string => rel.slice(0, Math.max(0, rel.lastIndexOf("/")));
const join = (rel: string, name: string): string => (rel === "" ? name : `${rel}/${name}`);
const stat = (p: string): BigIntStats | undefined => lstatSync(p, { bigint: true, throwIfNoEntry: false });

export interface DiffResult {
  /** Added, modified and deleted entries (0: nothing to commit). */
  changes: number;
}

/** Fill the empty directory `out` with the changes from `orig` to `work`. */
export function diffTrees(orig: string, work: string, out: string): DiffResult {
  const rootDev = lstatSync(work, { bigint: true }).dev;
  const root = process.getuid?.() === 0;
  const created = new Set<string>([""]);
  let changes = 0;

  const ensureDir = (rel: string): void => {
    if (created.has(rel)) return;
    ensureDir(parentOf(rel));
    mkdirSync(`${out}/${rel}`);
    created.add(rel);
  };

  const same = (o: BigIntStats, w: BigIntStats, rel: string): boolean => {
    if (o.dev === w.dev && o.ino === w.ino) return true;
    if (o.mode !== w.mode || o.uid !== w.uid || o.gid !== w.gid) return false;
    if (w.isFile()) return o.size === w.size && o.mtimeNs === w.mtimeNs;
    if (w.isSymbolicLink()) return readlinkSync(`${orig}/${rel}`) === readlinkSync(`${work}/${rel}`);
    return o.rdev === w.rdev;
  };

  const addWhole = (rel: string, w: BigIntStats): void => {
    ensureDir(parentOf(rel));
    if (!w.isDirectory()) {
      linkSync(`${work}/${rel}`, `${out}/${rel}`);
      return;
    }
    ensureDir(rel);
    for (const name of readdirSync(`${work}/${rel}`)) {
      const child = join(rel, name);
      const cw = stat(`${work}/${child}`);
      if (cw !== undefined && cw.dev === rootDev) addWhole(child, cw);
    }
  };

  const walk = (rel: string): void => {
    const workNames = readdirSync(`${work}/${rel}`);
    const present = new Set(workNames);
    for (const name of readdirSync(`${orig}/${rel}`)) {
      if (present.has(name)) continue;
      ensureDir(rel);
      writeFileSync(`${out}/${join(rel, `.wh.${name}`)}`, "");
      changes++;
    }
    for (const name of workNames) {
      const child = join(rel, name);
      const w = stat(`${work}/${child}`);
      if (w === undefined || w.dev !== rootDev) continue;
      const o = stat(`${orig}/${child}`);
      if (o === undefined || kindOf(o) !== kindOf(w)) {
        addWhole(child, w);
        changes++;
      } else if (w.isDirectory()) {
        if (o.mode !== w.mode || o.uid !== w.uid || o.gid !== w.gid) {
          ensureDir(child);
          changes++;
        }
        walk(child);
      } else if (!same(o, w, child)) {
        ensureDir(rel);
        linkSync(`${work}/${child}`, `${out}/${child}`);
        changes++;
      }
    }
  };

  walk("");
  // Directory metadata last (children were being added), deepest first.
  const dirs = [...created].filter((r) => r !== "").sort((a, b) => b.split("/").length - a.split("/").length);
  for (const rel of dirs) {
    const w = lstatSync(`${work}/${rel}`);
    if (root) lchownSync(`${out}/${rel}`, w.uid, w.gid);
    chmodSync(`${out}/${rel}`, w.mode & 0o7777);
    utimesSync(`${out}/${rel}`, w.atime, w.mtime);
  }
  return { changes };
}

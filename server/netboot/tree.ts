/**
 * The per-node boot tree under `<dataDir>/nodes/` (WALT §3.6), what TFTP, HTTP `/boot/` and the emulated
 * bootloader read:
 *
 *   <mac>/                     real directory of the node (vnodes keep their runtime files there too)
 *   <mac>/fs       → the node image's served root
 *   <mac>/tftp     → fs/boot/<model>
 *   <mac>/persist  → persist_dirs/<owner>      (persist_dirs/<owner>/ created on demand)
 *   <mac-dashes>, <ip>, <name>  → <mac>
 *
 * Switching a node's image is rewriting `<mac>/fs`: nothing is copied. Symlinks are relative, so the data
 * directory can move. Applying is idempotent: stale names are removed, directories of nodes no longer known
 * are deleted (never following symlinks).
 */
import { lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";

export interface TreeNode {
  mac: string;
  ip: string | null;
  name: string;
  model: string;
  /** Owner of the image it boots: names its persist directory. */
  owner: string;
  /** Absolute path of the served root of its image; null when not available (the node cannot boot now). */
  servedRoot: string | null;
  /** Setting mount.persist (default true): false leaves `persist` dangling, as WALT does. */
  persist: boolean;
}

export const macDashes = (mac: string): string => mac.replace(/:/g, "-");

/** The real directory holding a node's persist files for `owner`. */
export function persistDir(nodesDir: string, mac: string, owner: string): string {
  return join(nodesDir, mac, "persist_dirs", owner);
}

/** Replace (or create) a symlink atomically: a reader never sees it missing. */
function setLink(path: string, target: string): void {
  try {
    if (readlinkSync(path) === target) return;
  } catch {
    // absent or not a symlink
  }
  const tmp = `${path}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(target, tmp);
  renameSync(tmp, path);
}

/** Write the tree for `nodes`, removing what belongs to nodes no longer listed. */
export function applyTree(nodesDir: string, nodes: readonly TreeNode[]): void {
  mkdirSync(nodesDir, { recursive: true });
  const wanted = new Map<string, string>(); // top-level symlink name → target
  const dirs = new Set<string>();
  for (const n of nodes) {
    const dir = join(nodesDir, n.mac);
    mkdirSync(dir, { recursive: true });
    dirs.add(n.mac);
    const fs = join(dir, "fs");
    if (n.servedRoot === null) rmSync(fs, { force: true });
    else setLink(fs, relative(dir, n.servedRoot));
    setLink(join(dir, "tftp"), join("fs", "boot", n.model));
    if (n.persist) {
      mkdirSync(persistDir(nodesDir, n.mac, n.owner), { recursive: true });
      setLink(join(dir, "persist"), join("persist_dirs", n.owner));
    } else {
      setLink(join(dir, "persist"), "forbidden_dir");
    }
    wanted.set(macDashes(n.mac), n.mac);
    wanted.set(n.name, n.mac);
    if (n.ip !== null) wanted.set(n.ip, n.mac);
  }
  for (const [name, target] of wanted) if (!dirs.has(name)) setLink(join(nodesDir, name), target);
  for (const entry of readdirSync(nodesDir)) {
    if (wanted.has(entry) || dirs.has(entry)) continue;
    const path = join(nodesDir, entry);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined) continue;
    // rmSync never follows symlinks: a removed node's `fs` link does not take its image with it.
    if (st.isSymbolicLink() || st.isDirectory()) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Applies tar entries to a root directory with OCI changeset semantics, one layer after another:
 * `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` hides everything lower layers put in its
 * directory. Whiteouts only apply to lower layers: paths written by the current layer are tracked (`upper`)
 * so they survive whatever the order of the tar is. Path safety is in unpack-paths.ts, writes in unpack-fs.ts.
 */
import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, symlinkSync, unlinkSync, utimesSync } from "node:fs";
import type * as tar from "tar-stream";
import { RootResolver, entryParts, refusal } from "./unpack-paths.ts";
import { applyMeta, makeSpecial, removeTree, writeFileFrom, type EntryMeta, type FsCaps } from "./unpack-fs.ts";

type TarHeader = Omit<tar.Header, "pax"> & { pax?: Record<string, string> | null };
export type TarEntry = tar.ExtractEvents["entry"][1];

/** Metadata of a header, PAX records (uid, gid, mtime, atime, xattrs) taking precedence. */
function metaOf(h: TarHeader): EntryMeta {
  const pax = h.pax ?? {};
  const num = (v: string | undefined, d: number): number => (v !== undefined && Number.isFinite(Number(v)) ? Number(v) : d);
  const mtime = num(pax["mtime"], (h.mtime?.getTime() ?? 0) / 1000);
  const xattrs = Object.entries(pax)
    .filter(([k]) => k.startsWith("SCHILY.xattr."))
    .map(([k, v]): [string, string] => [k.slice("SCHILY.xattr.".length), v]);
  return { mode: (h.mode ?? 0o644) & 0o7777, uid: num(pax["uid"], h.uid ?? 0), gid: num(pax["gid"], h.gid ?? 0), mtime, atime: num(pax["atime"], mtime), xattrs };
}

export class TreeWriter {
  private readonly resolver: RootResolver;
  /** Directory mode and times, applied by finish(). */
  private readonly dirMeta = new Map<string, EntryMeta>();
  /** Root-relative paths written by the current layer (and their ancestors). */
  private upper = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly imageName: string,
    private readonly caps: FsCaps,
  ) {
    this.resolver = new RootResolver(root);
  }

  /** Whiteouts of the next layer apply to everything written so far. */
  startLayer(): void {
    this.upper = new Set();
  }

  /** Apply one entry (consuming its data). */
  async entry(entry: TarEntry): Promise<void> {
    const h = entry.header as TarHeader;
    const fail = (reason: string): never => {
      throw refusal(this.imageName, h.name, reason);
    };
    const parts = entryParts(h.name, fail);
    const base = parts.at(-1);
    const type = h.type;
    if (base === undefined) {
      if (type !== "directory") fail("it replaces the image root");
      return this.directory(this.root, metaOf(h), h.name, entry);
    }
    if (base.startsWith(".wh.")) {
      entry.resume();
      return this.whiteout(parts.slice(0, -1), base, fail);
    }
    const path = `${this.resolver.dir(parts.slice(0, -1), true, fail) as string}/${base}`;
    this.markUpper(this.resolver.rel(path));
    const meta = metaOf(h);
    switch (type) {
      case "directory":
        return this.directory(path, meta, h.name, entry);
      case "file":
      case "contiguous-file":
        this.clear(path);
        await writeFileFrom(path, entry as AsyncIterable<Uint8Array>);
        return applyMeta(this.caps, path, meta, "other", h.name);
      case "symlink":
        entry.resume();
        this.clear(path);
        symlinkSync(h.linkname ?? "", path);
        return applyMeta(this.caps, path, meta, "symlink", h.name);
      case "link":
        entry.resume();
        return this.hardLink(path, h.linkname ?? "", fail);
      case "character-device":
      case "block-device":
      case "fifo": {
        entry.resume();
        this.clear(path);
        const kind = type === "fifo" ? "p" : type === "block-device" ? "b" : "c";
        if (await makeSpecial(this.caps, path, kind, h.devmajor ?? 0, h.devminor ?? 0, h.name)) await applyMeta(this.caps, path, meta, "other", h.name);
        return;
      }
      default:
        this.caps.log.debug("tar entry type ignored", { entry: h.name, type });
        entry.resume();
    }
  }

  private async directory(path: string, meta: EntryMeta, name: string, entry: TarEntry): Promise<void> {
    entry.resume();
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st !== undefined && !st.isDirectory()) this.clear(path);
    if (st === undefined || !st.isDirectory()) mkdirSync(path, { mode: 0o755 });
    this.dirMeta.set(path, meta);
    await applyMeta(this.caps, path, meta, "dir", name);
  }

  private hardLink(path: string, linkname: string, fail: (reason: string) => never): void {
    const outside = (why?: string): never => fail(`its hard link target '${linkname}' is outside the image root${why ? ` (${why})` : ""}`);
    const parts = entryParts(linkname, () => outside());
    const base = parts.at(-1);
    if (base === undefined) return outside();
    const dir = this.resolver.dir(parts.slice(0, -1), false, outside);
    const target = `${dir}/${base}`;
    const st = dir === undefined ? undefined : lstatSync(target, { throwIfNoEntry: false });
    if (st === undefined) return fail(`its hard link target '${linkname}' does not exist`);
    if (st.isDirectory()) return fail(`its hard link target '${linkname}' is a directory`);
    if (target === path) return;
    this.clear(path);
    linkSync(target, path);
  }

  private whiteout(parentParts: string[], base: string, fail: (reason: string) => never): void {
    const dir = this.resolver.dir(parentParts, false, fail);
    if (dir === undefined) return;
    if (base === ".wh..wh..opq") return this.opaque(dir);
    if (base.startsWith(".wh..wh.")) return; // aufs bookkeeping (.wh..wh.plnk …), not a deletion
    const name = base.slice(".wh.".length);
    if (name === "" || name === "." || name === "..") fail("it is an invalid whiteout");
    const target = `${dir}/${name}`;
    if (!this.upper.has(this.resolver.rel(target))) this.clear(target);
  }

  /** Remove what lower layers put under `dir`, keeping what this layer wrote. */
  private opaque(dir: string): void {
    for (const child of readdirSync(dir)) {
      const p = `${dir}/${child}`;
      if (!this.upper.has(this.resolver.rel(p))) this.clear(p);
      else if (lstatSync(p).isDirectory()) this.opaque(p);
    }
  }

  private markUpper(rel: string): void {
    for (let r = rel; r !== "" && !this.upper.has(r); r = r.slice(0, Math.max(0, r.lastIndexOf("/")))) this.upper.add(r);
  }

  /** Remove whatever is at `path`, forgetting cached resolutions and deferred metadata below it. */
  private clear(path: string): void {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (st.isSymbolicLink()) this.resolver.invalidate();
    if (!st.isDirectory()) return unlinkSync(path);
    this.resolver.invalidate();
    for (const k of this.dirMeta.keys()) if (k === path || k.startsWith(path + "/")) this.dirMeta.delete(k);
    removeTree(path);
  }

  /** Directory modes and times last: children were being added until now. */
  finish(): void {
    for (const [path, meta] of this.dirMeta) {
      if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
      chmodSync(path, meta.mode);
      utimesSync(path, meta.atime, meta.mtime);
    }
  }
}

/**
 * Feed a directory tree into a tar-stream pack: entries in byte order of their paths (so one tree always
 * gives the same tar), with modes, owners, mtimes, symlinks, hard links (same inode → a link entry to the first
 * path), character/block devices and fifos. Sockets are skipped (a tar cannot hold them).
 * File contents are streamed with backpressure: a layer is never held in memory.
 */
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { BigIntStats } from "node:fs";
import type { Pack } from "tar-stream";

export interface TreeOptions {
  /** Record every entry with this owner (an image built by an unprivileged user is still root-owned). */
  owner?: { uid: number; gid: number };
  /** Entries newer than this get this mtime (reproducible builds: SOURCE_DATE_EPOCH clamping). */
  clampMtime?: Date;
}

type Headers = Parameters<Pack["entry"]>[0];
/** tar-stream writes a PAX record for each key of `pax`. */
type PaxHeaders = Headers & { pax?: Record<string, string> };

/** ustar's numeric owner fields hold 6 octal digits; larger ids go in PAX records. */
const USTAR_MAX_ID = 0o777777;

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Linux dev_t → major/minor (glibc's gnu_dev_major/minor). */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** Add every entry under `root` (not `root` itself) to `pack`; the caller finalizes the pack. */
export async function packTree(root: string, pack: Pack, opts: TreeOptions = {}): Promise<void> {
  const firstPathOfInode = new Map<string, string>();

  const header = (rel: string, st: BigIntStats): PaxHeaders => {
    const uid = opts.owner?.uid ?? Number(st.uid);
    const gid = opts.owner?.gid ?? Number(st.gid);
    let mtime = new Date(Number(st.mtimeMs));
    if (opts.clampMtime && mtime > opts.clampMtime) mtime = opts.clampMtime;
    const h: PaxHeaders = {
      name: rel,
      // The full st_mode: tar-stream replaces a falsy mode (a 000 file) with 0644, and masks to 07777 itself.
      mode: Number(st.mode),
      uid: uid > USTAR_MAX_ID ? 0 : uid,
      gid: gid > USTAR_MAX_ID ? 0 : gid,
      mtime,
    };
    if (uid > USTAR_MAX_ID || gid > USTAR_MAX_ID) h.pax = { uid: String(uid), gid: String(gid) };
    return h;
  };

  const addVoid = (h: Headers): Promise<void> =>
    new Promise((resolve, reject) => {
      pack.entry(h, (err) => (err ? reject(err) : resolve()));
    });

  const addFile = async (h: Headers, abs: string): Promise<void> => {
    let entry!: ReturnType<Pack["entry"]>;
    const finished = new Promise<void>((resolve, reject) => {
      entry = pack.entry(h, (err) => (err ? reject(err) : resolve()));
    });
    // Destroying the pack (the consumer gave up) rejects this at any time: never leave it unhandled.
    finished.catch(() => undefined);
    try {
      for await (const chunk of createReadStream(abs)) {
        if (!entry.write(chunk as Buffer)) {
          await Promise.race([new Promise<void>((resolve) => entry.once("drain", () => resolve())), finished]);
        }
      }
    } catch (err) {
      entry.destroy(err instanceof Error ? err : new Error(String(err)));
      await finished.catch(() => undefined);
      throw err;
    }
    entry.end(undefined);
    await finished;
  };

  const walk = async (relDir: string): Promise<void> => {
    const names = (await readdir(join(root, relDir))).sort(byBytes);
    for (const name of names) {
      const rel = relDir === "" ? name : `${relDir}/${name}`;
      const abs = join(root, rel);
      const st = await lstat(abs, { bigint: true });
      const h = header(rel, st);
      if (st.isDirectory()) {
        await addVoid({ ...h, name: `${rel}/`, type: "directory" });
        await walk(rel);
        continue;
      }
      if (st.isSocket()) continue;
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        const first = firstPathOfInode.get(key);
        if (first !== undefined) {
          await addVoid({ ...h, type: "link", linkname: first, size: 0 });
          continue;
        }
        firstPathOfInode.set(key, rel);
      }
      if (st.isFile()) await addFile({ ...h, type: "file", size: Number(st.size) }, abs);
      else if (st.isSymbolicLink()) await addVoid({ ...h, type: "symlink", linkname: await readlink(abs) });
      else if (st.isFIFO()) await addVoid({ ...h, type: "fifo" });
      else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const { major, minor } = splitDev(st.rdev);
        const type = st.isCharacterDevice() ? "character-device" : "block-device";
        await addVoid({ ...h, type, devmajor: major, devminor: minor });
      }
    }
  };

  await walk("");
}

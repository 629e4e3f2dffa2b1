/**
 * Stream one path (a file, a symlink, or a directory with everything below it) as a tar archive whose top entry
 * is renamed `name` — what `walt image cp` and `walt image build --from-dir` send (WALT: tarfile.add(path,
 * arcname=name)). Modes, mtimes, symlinks (never followed), hard links inside the archive, fifos and devices are
 * kept; sockets are skipped. File contents are streamed with backpressure: nothing is held whole in memory.
 * Used by the CLI and by the server (cp, build uploads, image layers), so it depends on nothing but tar-stream.
 */
import { createReadStream, type BigIntStats } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import tar, { type Pack } from "tar-stream";

export interface PackOptions {
  /** Record every entry with this owner (WALT's client sends root-owned entries; images stay root-owned). */
  owner?: { uid: number; gid: number; uname?: string; gname?: string };
  /** Entries newer than this get this mtime (reproducible builds: SOURCE_DATE_EPOCH clamping). */
  clampMtime?: Date;
}

type Headers = Parameters<Pack["entry"]>[0] & { pax?: Record<string, string> };

/** ustar's numeric owner fields hold 6 octal digits; larger ids go in PAX records. */
const USTAR_MAX_ID = 0o777777;
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Linux dev_t → major/minor (glibc's gnu_dev_major/minor). */
function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/**
 * One archive's writer: `visit(abs, rel)` adds a path and everything below it, children in byte order.
 * Hard links are tracked across visits, so several top-level paths share one inode table.
 */
function packer(pack: Pack, opts: PackOptions): (abs: string, rel: string) => Promise<void> {
  const firstPathOfInode = new Map<string, string>();
  const add = (h: Headers): Promise<void> =>
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
        if (!entry.write(chunk as Buffer)) await Promise.race([new Promise<void>((r) => entry.once("drain", () => r())), finished]);
      }
    } catch (err) {
      entry.destroy(err instanceof Error ? err : new Error(String(err)));
      await finished.catch(() => undefined);
      throw err;
    }
    entry.end(undefined);
    await finished;
  };

  const header = (rel: string, st: BigIntStats): Headers => {
    const uid = opts.owner?.uid ?? Number(st.uid);
    const gid = opts.owner?.gid ?? Number(st.gid);
    let mtime = new Date(Number(st.mtimeMs));
    if (opts.clampMtime && mtime > opts.clampMtime) mtime = opts.clampMtime;
    const h: Headers = {
      name: rel,
      // The full st_mode: tar-stream replaces a falsy mode (a 000 file) with 0644, and masks to 07777 itself.
      mode: Number(st.mode),
      uid: uid > USTAR_MAX_ID ? 0 : uid,
      gid: gid > USTAR_MAX_ID ? 0 : gid,
      mtime,
    };
    if (opts.owner?.uname !== undefined) h.uname = opts.owner.uname;
    if (opts.owner?.gname !== undefined) h.gname = opts.owner.gname;
    if (uid > USTAR_MAX_ID || gid > USTAR_MAX_ID) h.pax = { uid: String(uid), gid: String(gid) };
    return h;
  };

  const visit = async (abs: string, rel: string): Promise<void> => {
    const st = await lstat(abs, { bigint: true });
    const h = header(rel, st);
    if (st.isDirectory()) {
      await add({ ...h, name: `${rel}/`, type: "directory" });
      for (const child of (await readdir(abs)).sort(byBytes)) await visit(`${abs}/${child}`, `${rel}/${child}`);
      return;
    }
    if (st.isSocket()) return; // a tar cannot hold sockets
    if (st.nlink > 1n) {
      const key = `${st.dev}:${st.ino}`;
      const first = firstPathOfInode.get(key);
      if (first !== undefined) return add({ ...h, type: "link", linkname: first, size: 0 });
      firstPathOfInode.set(key, rel);
    }
    if (st.isFile()) return addFile({ ...h, type: "file", size: Number(st.size) }, abs);
    if (st.isSymbolicLink()) return add({ ...h, type: "symlink", linkname: await readlink(abs) });
    if (st.isFIFO()) return add({ ...h, type: "fifo" });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      const { major, minor } = splitDev(st.rdev);
      return add({ ...h, type: st.isCharacterDevice() ? "character-device" : "block-device", devmajor: major, devminor: minor });
    }
  };
  return visit;
}

/** Add `path` (as `name`) and, for a directory, everything below it to `pack`; the caller finalizes. */
export async function packPath(path: string, name: string, pack: Pack, opts: PackOptions = {}): Promise<void> {
  await packer(pack, opts)(path, name);
}

/**
 * Add every entry under `root` (not `root` itself) to `pack`, in byte order of their paths, so one tree
 * always gives the same tar (image layers); the caller finalizes.
 */
export async function packTree(root: string, pack: Pack, opts: PackOptions = {}): Promise<void> {
  const visit = packer(pack, opts);
  for (const child of (await readdir(root)).sort(byBytes)) await visit(`${root}/${child}`, child);
}

/** The archive of `path` as a web stream pulled at the reader's pace (for a fetch body or a Response). */
export function tarStreamOf(path: string, name: string, opts: PackOptions = {}): ReadableStream<Uint8Array> {
  const pack = tar.pack();
  const producing = packPath(path, name, pack, opts).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  const it = (pack as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        try {
          const r = await it.next();
          if (r.done) {
            await producing;
            ctl.close();
          } else ctl.enqueue(r.value);
        } catch (err) {
          ctl.error(err);
        }
      },
      async cancel() {
        pack.destroy();
        await producing;
      },
    },
    { highWaterMark: 0 },
  );
}

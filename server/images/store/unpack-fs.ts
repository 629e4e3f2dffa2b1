/**
 * Filesystem writes of the unpacker: replacing a path, streaming a file, special files, and the metadata
 * of an entry (owner, xattrs, mode, times — in that order, because chown clears setuid bits and capabilities).
 *
 * Synchronous fs calls are used on purpose: an unpack makes tens of thousands of small calls and the sync
 * ones are several times faster in Bun; file data still arrives chunk by chunk, so the event loop keeps
 * turning between chunks and no file is ever held whole in memory.
 */
import { chmodSync, closeSync, constants, lchownSync, lutimesSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import type { Logger } from "../../../src/log.ts";

/** What an entry's header says about its metadata (PAX values already applied). */
export interface EntryMeta {
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (fractional). */
  mtime: number;
  atime: number;
  /** PAX `SCHILY.xattr.*` attributes, name → value. */
  xattrs: [string, string][];
}

/** Process-wide facts, looked up once per unpack. */
export interface FsCaps {
  /** Running as root: owners are set and device nodes are created. */
  root: boolean;
  /** Path of `setfattr`, or null (xattrs are then skipped). */
  setfattr: string | null;
  log: Logger;
}

/**
 * `rm -rf`, also when some directories are read-only (mode 0555 directories are common in images, and a
 * non-root server cannot delete their entries until they are made writable again).
 */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EACCES" && (e as NodeJS.ErrnoException).code !== "EPERM") throw e;
    makeWritable(path);
    rmSync(path, { recursive: true, force: true });
  }
}

function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o700);
  } catch {
    return;
  }
  for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) makeWritable(`${dir}/${d.name}`);
}

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Stream `data` into a new file at `path` (which must not exist: O_EXCL|O_NOFOLLOW, never through a link). */
export async function writeFileFrom(path: string, data: AsyncIterable<Uint8Array>): Promise<void> {
  const fd = openSync(path, CREATE, 0o600);
  try {
    for await (const chunk of data) {
      let off = 0;
      while (off < chunk.byteLength) off += writeSync(fd, chunk, off);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Create a device node or fifo with the `mknod` command (no mknod(2) binding in Bun/Node). Device nodes
 * need root (CAP_MKNOD): without it they are skipped with a debug log, as rootless unpackers do; fifos need
 * no privilege and are always created. Returns false when nothing was created.
 */
export async function makeSpecial(caps: FsCaps, path: string, kind: "c" | "b" | "p", major: number, minor: number, entry: string): Promise<boolean> {
  if (kind !== "p" && !caps.root) {
    caps.log.debug("device node skipped (not root)", { entry });
    return false;
  }
  const args = kind === "p" ? ["mknod", path, "p"] : ["mknod", path, kind, String(major), String(minor)];
  const proc = Bun.spawn(args, { stdout: "ignore", stderr: "pipe" });
  const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  if (code !== 0) {
    // E.g. a container without CAP_MKNOD: the image stays usable without this node.
    caps.log.warn("mknod failed, entry skipped", { entry, error: err.trim() });
    return false;
  }
  return true;
}

/**
 * Apply owner, xattrs, mode and times. Symlinks get owner and times only (their mode is meaningless).
 * `deferModeTimes` is for directories, whose mode and mtime are set after the last layer (adding
 * children changes a directory's mtime, and a read-only mode would block them).
 */
export async function applyMeta(caps: FsCaps, path: string, meta: EntryMeta, kind: "symlink" | "dir" | "other", entry: string): Promise<void> {
  if (caps.root) lchownSync(path, meta.uid, meta.gid);
  if (meta.xattrs.length > 0) await setXattrs(caps, path, meta.xattrs, entry);
  if (kind === "dir") return;
  if (kind === "other") chmodSync(path, meta.mode & 0o7777);
  lutimesSync(path, meta.atime, meta.mtime);
}

/**
 * Extended attributes, best effort, through `setfattr -h` (there is no xattr API in Bun/Node). Skipped with a
 * debug log when the tool is missing or the filesystem refuses. Note: tar-stream decodes PAX values as UTF-8,
 * so binary values (security.capability) may not survive; text values (user.*, selinux) do.
 */
async function setXattrs(caps: FsCaps, path: string, xattrs: [string, string][], entry: string): Promise<void> {
  if (caps.setfattr === null) {
    caps.log.debug("xattrs skipped (setfattr not installed)", { entry });
    return;
  }
  for (const [name, value] of xattrs) {
    const b64 = "0s" + Buffer.from(value, "utf8").toString("base64");
    const proc = Bun.spawn([caps.setfattr, "-h", "-n", name, "-v", b64, path], { stdout: "ignore", stderr: "ignore" });
    if ((await proc.exited) !== 0) caps.log.debug("xattr not set", { entry, name });
  }
}

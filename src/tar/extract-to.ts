/**
 * Extract a tar stream into a local directory (what the client of `walt image cp <image>:<path> <local>` does),
 * streaming, one entry at a time. Modes, mtimes and symlinks are restored; owners only when running as root.
 * Safety: entry names and hard link targets must stay below the directory (no absolute path, no `..` above it)
 * and nothing is ever written through a symbolic link below it. Devices and fifos are skipped (with a note).
 */
import {
  chmodSync,
  closeSync,
  constants,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { WaltError } from "../errors.ts";

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** `a/./b//c/` → [a, b, c]; absolute names and `..` climbing above the root are refused. */
function partsOf(name: string): string[] {
  if (name.startsWith("/")) throw new WaltError("BAD_REQUEST", `Refusing archive entry '${name}': it is an absolute path.`);
  const parts: string[] = [];
  for (const c of name.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (parts.length === 0) throw new WaltError("BAD_REQUEST", `Refusing archive entry '${name}': it leaves the target directory.`);
      parts.pop();
    } else parts.push(c);
  }
  return parts;
}

export interface ExtractOptions {
  /** Called for entries that cannot be restored here (devices, fifos). */
  onSkip?: (name: string, type: string) => void;
}

/** Extract `body` (an uncompressed tar) into the existing directory `dir`. */
export async function extractTarTo(body: ReadableStream<Uint8Array>, dir: string, opts: ExtractOptions = {}): Promise<void> {
  const root = process.getuid?.() === 0;
  const dirMeta: [string, number, Date][] = [];
  const extract = tar.extract();
  const feed = pipeline(Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]), extract);

  /** The host path of `parts`, its parents being real directories (created when missing). */
  const place = (parts: string[], name: string): string => {
    let p = dir;
    for (const c of parts.slice(0, -1)) {
      p = `${p}/${c}`;
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st === undefined) mkdirSync(p, { mode: 0o755 });
      else if (!st.isDirectory()) throw new WaltError("BAD_REQUEST", `Refusing archive entry '${name}': '${c}' is not a directory.`);
    }
    return parts.length === 0 ? dir : `${p}/${parts[parts.length - 1] ?? ""}`;
  };
  /** Make room for an entry; a local directory is never removed to make room for something else. */
  const clear = (p: string, keepDir: boolean): void => {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st === undefined || (keepDir && st.isDirectory())) return;
    if (st.isDirectory()) throw new WaltError("CONFLICT", `Cannot overwrite directory ${p} with a non-directory.`);
    unlinkSync(p);
  };

  try {
    for await (const entry of extract) {
      const h = entry.header;
      const parts = partsOf(h.name);
      const p = place(parts, h.name);
      const mode = (h.mode ?? 0o644) & 0o7777;
      const mtime = h.mtime ?? new Date();
      const owner = (): void => {
        if (root) lchownSync(p, h.uid ?? 0, h.gid ?? 0);
      };
      switch (h.type) {
        case "directory":
          entry.resume();
          clear(p, true);
          if (!lstatSync(p, { throwIfNoEntry: false })) mkdirSync(p, { mode: 0o700 });
          owner();
          dirMeta.push([p, mode, mtime]);
          break;
        case "file":
        case "contiguous-file": {
          clear(p, false);
          const fd = openSync(p, CREATE, 0o600);
          try {
            for await (const chunk of entry as AsyncIterable<Uint8Array>) {
              let off = 0;
              while (off < chunk.byteLength) off += writeSync(fd, chunk, off);
            }
          } finally {
            closeSync(fd);
          }
          owner();
          chmodSync(p, mode);
          utimesSync(p, mtime, mtime);
          break;
        }
        case "symlink":
          entry.resume();
          clear(p, false);
          symlinkSync(h.linkname ?? "", p);
          owner();
          lutimesSync(p, mtime, mtime);
          break;
        case "link": {
          entry.resume();
          const target = place(partsOf(h.linkname ?? ""), h.linkname ?? "");
          clear(p, false);
          linkSync(target, p);
          break;
        }
        default:
          entry.resume();
          opts.onSkip?.(h.name, h.type ?? "unknown");
      }
    }
    await feed;
  } catch (err) {
    extract.destroy();
    await feed.catch(() => undefined);
    throw err;
  }
  // Directory modes and times last: their content was being written until now.
  for (const [p, mode, mtime] of dirMeta.reverse()) {
    chmodSync(p, mode);
    utimesSync(p, mtime, mtime);
  }
}

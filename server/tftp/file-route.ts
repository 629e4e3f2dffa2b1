/**
 * Routes serving files from a directory, with containment checks.
 *
 * The per-node tree is made of symlinks (`nodes/<ip>` → `<mac>`, `<mac>/tftp` → the image's `boot/<model>`,
 * walt-features §3.6) and images may live outside the TFTP root, so containment cannot be a lexical prefix test
 * on the requested name: the file is resolved with realpath and must land inside one of the allowed roots.
 * A request naming `..` is refused before anything touches the disk, as tftpd-hpa --secure does: cleaning it
 * lexically instead would turn `nodes/<ip>/tftp/../../../etc/x` into a hit on `<root>/etc/x`.
 */
import { constants } from "node:fs";
import { open, readlink, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { accessViolation, type RouteResult, type TftpFile, type TftpRequest, type TftpRoute } from "./routes.ts";

/** Turn a requested name into a path relative to the route's root; null declines the request. */
export type MapPath = (path: string, clientIp: string) => string | null;

export interface FileRouteOptions {
  name?: string;
  /** Directories the resolved file may be in (default: the root). Image roots reached through symlinks go here. */
  allowedRoots?: readonly string[];
}

const hasDotDot = (p: string): boolean => p.split("/").includes("..");
const errno = (err: unknown): string => (err as { code?: string }).code ?? "";

/** Serve `<root>/<mapPath(request)>` when it resolves, after realpath, inside an allowed root. */
export function fileRoute(root: string, mapPath: MapPath, opts: FileRouteOptions = {}): TftpRoute {
  const allowed = opts.allowedRoots ?? [root];
  return {
    name: opts.name ?? "file",
    tryServe: async (req: TftpRequest): Promise<RouteResult> => {
      if (hasDotDot(req.path)) throw accessViolation(`${JSON.stringify(req.path)} contains ".."`);
      const mapped = mapPath(req.path, req.clientIp);
      if (mapped === null) return { handled: false, reason: "not mapped" };
      if (hasDotDot(mapped)) throw accessViolation(`mapped name ${JSON.stringify(mapped)} contains ".."`);
      const full = join(root, mapped);
      let real: string;
      try {
        real = await realpath(full);
      } catch (err) {
        if (errno(err) === "EACCES") throw accessViolation(`${full}: permission denied`);
        return { handled: false, reason: `${full}: ${errno(err) || String(err)}` };
      }
      if (!(await insideAny(real, allowed))) throw accessViolation(`${full} resolves to ${real}, outside ${allowed.join(", ")}`);
      const st = await stat(real).catch(() => null);
      if (!st?.isFile()) return { handled: false, reason: `${real} is not a regular file` };
      return { handled: true, open: () => openChecked(real) };
    },
  };
}

/** Serve a directory as is (iPXE binaries, Raspberry Pi firmware): the name, minus leading slashes, under `dir`. */
export function staticRoute(dir: string, opts: FileRouteOptions = {}): TftpRoute {
  return fileRoute(dir, (p) => p.replace(/^\/+/, ""), { name: "static", ...opts });
}

async function insideAny(real: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const r = await realpath(root).catch(() => null);
    if (r !== null && (r === sep || real === r || real.startsWith(r + sep))) return true;
  }
  return false;
}

/**
 * Open the resolved path without following a last-component symlink, then check through /proc that the
 * descriptor is the file that was vetted: a directory swapped for a symlink in between is refused.
 */
async function openChecked(real: string): Promise<TftpFile> {
  const fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch((err: unknown) => {
    throw accessViolation(`${real}: ${errno(err) || String(err)}`);
  });
  try {
    const seen = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => real);
    if (seen !== real) throw accessViolation(`${real} changed to ${seen} while being opened`);
    const st = await fh.stat();
    if (!st.isFile()) throw accessViolation(`${real} is not a regular file`);
    return {
      size: st.size,
      read: async (offset, length) => {
        const buf = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === length ? buf : buf.subarray(0, got);
      },
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

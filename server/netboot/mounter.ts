/**
 * Mounting served image roots: overlayfs with `index=on,nfs_export=on` (what lets nfs-ganesha's VFS FSAL hand
 * out file handles on it, verified on these machines), through mount(8) since Bun has no mount(2) binding.
 * An interface so unit tests run without root.
 */
import { readFile } from "node:fs/promises";
import { WaltError } from "../../src/errors.ts";

export interface OverlaySpec {
  lower: string;
  upper: string;
  work: string;
  target: string;
}

export interface Mounter {
  mountOverlay(o: OverlaySpec): Promise<void>;
  /** Unmount; `lazy` detaches even when busy (used at stop). */
  umount(target: string, lazy?: boolean): Promise<void>;
  isMounted(target: string): Promise<boolean>;
}

/** overlayfs option values cannot hold `,` or `:` (they separate options and lower layers). */
function checkPath(p: string): string {
  if (/[,:\\]/.test(p)) throw new WaltError("PRECONDITION", `Cannot mount an overlay on '${p}': the path holds ',', ':' or '\\'.`, { hint: "use a data directory whose path has none of them" });
  return p;
}

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  const p = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  return { code, err: err.trim() };
}

/** Mount points as /proc/self/mounts lists them (octal escapes decoded). */
export async function mountPoints(): Promise<Set<string>> {
  const text = await readFile("/proc/self/mounts", "utf8").catch(() => "");
  return new Set(
    text
      .split("\n")
      .map((l) => (l.split(" ")[1] ?? "").replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))))
      .filter((m) => m !== ""),
  );
}

export const realMounter: Mounter = {
  async mountOverlay(o) {
    const opts = `lowerdir=${checkPath(o.lower)},upperdir=${checkPath(o.upper)},workdir=${checkPath(o.work)},index=on,nfs_export=on`;
    const r = await run(["mount", "-t", "overlay", "overlay", "-o", opts, o.target]);
    if (r.code !== 0) {
      throw new WaltError("UNAVAILABLE", `Cannot mount the served image root ${o.target}: ${r.err || `mount exited with ${r.code}`}`, {
        hint: "the server must run as root on a kernel with overlayfs",
      });
    }
  },
  async umount(target, lazy = false) {
    const r = await run(["umount", ...(lazy ? ["-l"] : []), target]);
    if (r.code !== 0 && (await mountPoints()).has(target)) throw new WaltError("UNAVAILABLE", `Cannot unmount ${target}: ${r.err}`);
  },
  async isMounted(target) {
    return (await mountPoints()).has(target);
  },
};

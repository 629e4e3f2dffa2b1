/**
 * A writable copy of an image's read-only root filesystem, under `<dataDir>/images/tmp/` (emptied when the server
 * starts, so a crash leaves nothing behind).
 *
 * Two kinds, both with `cp` from coreutils (preserves modes, owners when root, times, xattrs, hard links):
 * - `links` (`cp -al`): directories are copied, every other entry is a hard link to the original. Instant and
 *   free, but safe only for writers that replace files instead of modifying them in place — our tar extraction
 *   (`walt image cp`) unlinks before writing, so the original rootfs is never touched.
 * - `copy` (`cp -a --reflink=auto`): a full copy (copy-on-write clones where the filesystem supports them), for
 *   interactive shells, where any program may append to or chmod a file in place.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { WaltError } from "../../../src/errors.ts";
import { removeTree } from "../store/unpack-fs.ts";

export type CopyKind = "links" | "copy";

export interface WorkingCopy {
  /** The directory holding the copy, the scratch diff dir, etc. */
  dir: string;
  /** The writable root filesystem. */
  root: string;
  remove(): void;
}

/** Copy `rootfs` into a new directory under `tmpRoot`. */
export async function makeWorkingCopy(rootfs: string, tmpRoot: string, kind: CopyKind): Promise<WorkingCopy> {
  const dir = join(tmpRoot, `work-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const root = join(dir, "rootfs");
  const args = kind === "links" ? ["-a", "-l"] : ["-a", "--reflink=auto"];
  const proc = Bun.spawn(["cp", ...args, "--no-target-directory", rootfs, root], { stdout: "ignore", stderr: "pipe" });
  const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const remove = (): void => removeTree(dir);
  if (code !== 0) {
    remove();
    throw new WaltError("INTERNAL", `Cannot make a working copy of the image: ${err.trim().split("\n")[0] ?? `cp exited with ${code}`}.`);
  }
  return { dir, root, remove };
}

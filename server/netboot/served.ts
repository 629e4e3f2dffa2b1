/**
 * Served image roots (docs/netboot.md): `images/rootfs/<digest>` (read-only, unpacked once by the image store)
 * under a server-owned upper layer holding what WALT injects into every image (§4.3), merged with overlayfs at
 * `<dataDir>/served/<hex>/merged`. What is injected here: `/bin/walt`, the agent (`walt agent init` is run by the
 * initramfs when present). The upper layer is rebuilt at every mount, so it always matches this server.
 */
import { copyFileSync, chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import type { Logger } from "../../src/log.ts";
import type { Mounter } from "./mounter.ts";

export interface ServedRootsOptions {
  /** `<dataDir>/served`. */
  dir: string;
  mounter: Mounter;
  /** The unpacked root filesystem of a manifest digest (ImageStore.rootfs). */
  rootfs(digest: string): Promise<string>;
  /** The walt binary to inject as /bin/walt; undefined: nothing injected (nodes boot the image's init directly). */
  agentBinary: string | undefined;
  log: Logger;
}

const hexOf = (digest: string): string => digest.replace(/^sha256:/, "");

/**
 * Where a path of an image really is, relative to its root, following the image's symlinks on each component
 * (`bin/walt` is `usr/bin/walt` in a merged-/usr image): a file put in the upper layer at the lexical path would
 * hide the image's symlink and break the image.
 */
export function resolveInImage(root: string, path: string): string {
  const out: string[] = [];
  const todo = path.split("/").filter((p) => p !== "" && p !== ".");
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === "..") {
      out.pop();
      continue;
    }
    const rel = [...out, part].join("/");
    const st = lstatSync(join(root, rel), { throwIfNoEntry: false });
    if (st?.isSymbolicLink() && todo.length > 0 && hops++ < 32) {
      const target = readlinkSync(join(root, rel));
      if (target.startsWith("/")) out.length = 0;
      todo.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      continue;
    }
    out.push(part);
  }
  return out.join("/");
}

/** Where `/bin` of an image really is (`usr/bin` in a merged-/usr image), relative to its root. */
export const binDirOf = (root: string): string => posix.dirname(resolveInImage(root, "bin/walt"));

/**
 * The shared libraries and loader of a dynamically linked binary, as `ldd` lists them (absolute paths). The
 * compiled walt binary needs glibc's: injected into images that have no glibc (busybox), never over an image's own.
 */
export function sharedLibraries(binary: string): string[] {
  const r = Bun.spawnSync(["ldd", binary], { stdout: "pipe", stderr: "ignore" });
  if (r.exitCode !== 0) return [];
  const libs: string[] = [];
  for (const line of r.stdout.toString().split("\n")) {
    const m = /=>\s*(\/\S+)|^\s*(\/\S+)/.exec(line);
    const path = m?.[1] ?? m?.[2];
    if (path !== undefined) libs.push(path);
  }
  return libs;
}

function place(staged: string, dest: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  try {
    linkSync(staged, dest);
  } catch {
    copyFileSync(staged, dest);
    chmodSync(dest, 0o755);
  }
}

export class ServedRoots {
  private readonly mounted = new Map<string, string>();
  private readonly staged = new Set<string>();
  private libs: string[] | undefined;

  constructor(private readonly o: ServedRootsOptions) {}

  /** The merged root of a digest if mounted. */
  pathOf(digest: string): string | undefined {
    return this.mounted.get(digest);
  }

  /** The digest whose merged root is mounted at `path`. */
  digestAt(path: string): string | undefined {
    for (const [digest, target] of this.mounted) if (target === path) return digest;
    return undefined;
  }

  digests(): string[] {
    return [...this.mounted.keys()];
  }

  /** Mount the served root of `digest` if needed; answers its path. */
  async acquire(digest: string): Promise<string> {
    const known = this.mounted.get(digest);
    if (known !== undefined) return known;
    const lower = await this.o.rootfs(digest);
    const base = join(this.o.dir, hexOf(digest));
    const target = join(base, "merged");
    // Left over by a server that did not stop cleanly: start from scratch (the upper layer is ours).
    if (await this.o.mounter.isMounted(target)) await this.o.mounter.umount(target, true);
    rmSync(join(base, "upper"), { recursive: true, force: true });
    rmSync(join(base, "work"), { recursive: true, force: true });
    for (const d of ["upper", "work", "merged"]) mkdirSync(join(base, d), { recursive: true });
    this.inject(join(base, "upper"), lower);
    await this.o.mounter.mountOverlay({ lower, upper: join(base, "upper"), work: join(base, "work"), target });
    this.mounted.set(digest, target);
    this.o.log.info("netboot: served root mounted", { digest, path: target });
    return target;
  }

  /** Unmount served roots not in `keep`. A busy one stays until a later call. */
  async releaseExcept(keep: ReadonlySet<string>): Promise<void> {
    for (const [digest, target] of [...this.mounted]) {
      if (keep.has(digest)) continue;
      try {
        await this.o.mounter.umount(target);
        this.mounted.delete(digest);
        rmSync(dirname(target), { recursive: true, force: true });
        this.o.log.info("netboot: served root unmounted", { digest });
      } catch (e) {
        this.o.log.warn("netboot: served root still busy", { digest, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** Unmount everything (server stop). */
  async releaseAll(): Promise<void> {
    for (const [digest, target] of [...this.mounted]) {
      await this.o.mounter.umount(target, true).catch((e: unknown) => this.o.log.warn("netboot: unmount failed", { digest, error: String(e) }));
      this.mounted.delete(digest);
    }
  }

  /** The injected layer: files WALT adds to every image. */
  private inject(upper: string, lower: string): void {
    const agent = this.o.agentBinary;
    if (agent === undefined) return;
    if (!existsSync(agent)) {
      this.o.log.warn("netboot: agent binary not found, images are served without /bin/walt", { path: agent });
      return;
    }
    place(this.stage(agent, "walt"), join(upper, binDirOf(lower), "walt"));
    this.libs ??= sharedLibraries(agent);
    for (const lib of this.libs) {
      const inImage = resolveInImage(lower, lib);
      if (lstatSync(join(lower, inImage), { throwIfNoEntry: false }) !== undefined) continue;
      place(this.stage(lib, `lib-${lib.replace(/\//g, "_")}`), join(upper, inImage));
    }
  }

  /** One copy of an injected file in the served dir, so every upper layer can hard-link it. */
  private stage(src: string, name: string): string {
    const staged = join(this.o.dir, ".inject", name);
    if (this.staged.has(staged)) return staged;
    mkdirSync(dirname(staged), { recursive: true });
    const real = statSync(src);
    const same = existsSync(staged) && statSync(staged).size === real.size && statSync(staged).mtimeMs >= real.mtimeMs;
    if (!same) {
      rmSync(staged, { force: true });
      copyFileSync(src, staged);
    }
    chmodSync(staged, 0o755);
    this.staged.add(staged);
    return staged;
  }
}

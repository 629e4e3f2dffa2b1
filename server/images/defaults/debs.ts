/**
 * Debian packages for the recipes, through apt's own clients: the candidate version (`apt-cache policy`),
 * the .deb (`apt-get download`) and its extracted tree (`dpkg-deb -x`), both cached by name and version:
 *
 *   <cacheDir>/debs/<name>_<version>.deb
 *   <cacheDir>/pkgs/<name>_<version>/        extracted (plus whatever `prepare` adds, e.g. depmod's files)
 *
 * Entries appear atomically (filled beside, renamed), so concurrent builds sharing a cache are safe.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import type { RecipeContext } from "./recipe.ts";
import { run } from "./exec.ts";

export interface DebPackage {
  name: string;
  version: string;
}

const exists = (p: string): Promise<boolean> => stat(p).then(
  () => true,
  () => false,
);

/** A cache entry at `target`, created once by `fill(tmpPath)`; a concurrent filler's result is as good as ours. */
export async function cachedPath(target: string, fill: (tmp: string) => Promise<void>): Promise<string> {
  if (await exists(target)) return target;
  const tmp = `${target}.tmp-${randomUUID()}`;
  try {
    await fill(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (await exists(target)) return target;
    throw err;
  }
  return target;
}

const fileSafe = (version: string): string => version.replace(/[^A-Za-z0-9.+~-]/g, "_");

/** The version apt would install (a WaltError with a hint when apt does not know the package). */
export async function candidateVersion(name: string, ctx: RecipeContext): Promise<DebPackage> {
  const out = await run("apt-cache", ["policy", name], { timeoutMs: 60_000, ...signal(ctx) });
  const version = /^\s*Candidate:\s*(\S+)/m.exec(out)?.[1];
  if (!version || version === "(none)") {
    throw new WaltError("PRECONDITION", `The Debian package ${name} is not available from apt.`, { hint: "apt-get update" });
  }
  return { name, version };
}

/** The .deb of `pkg`, downloaded once. */
export async function fetchDeb(pkg: DebPackage, ctx: RecipeContext): Promise<string> {
  const debs = join(ctx.cacheDir, "debs");
  await mkdir(debs, { recursive: true });
  const target = join(debs, `${pkg.name}_${fileSafe(pkg.version)}.deb`);
  return cachedPath(target, async (tmp) => {
    const dir = `${tmp}.d`;
    await mkdir(dir, { recursive: true });
    try {
      ctx.log.info("downloading Debian package", { pkg: pkg.name, version: pkg.version });
      await run("apt-get", ["download", `${pkg.name}=${pkg.version}`], { cwd: dir, timeoutMs: 600_000, ...signal(ctx) });
      const [deb, ...more] = (await readdir(dir)).filter((f) => f.endsWith(".deb"));
      if (!deb || more.length > 0) throw new WaltError("EXTERNAL", `apt-get download ${pkg.name} gave no single .deb file.`);
      await rename(join(dir, deb), tmp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

/** The extracted tree of `pkg`; `prepare` runs once on it before it enters the cache. */
export async function extractDeb(pkg: DebPackage, ctx: RecipeContext, prepare?: (root: string) => Promise<void>): Promise<string> {
  const deb = await fetchDeb(pkg, ctx);
  const pkgs = join(ctx.cacheDir, "pkgs");
  await mkdir(pkgs, { recursive: true });
  return cachedPath(join(pkgs, `${pkg.name}_${fileSafe(pkg.version)}`), async (tmp) => {
    ctx.log.info("extracting Debian package", { pkg: pkg.name, version: pkg.version });
    await run("dpkg-deb", ["-x", deb, tmp], { timeoutMs: 600_000, ...signal(ctx) });
    if (prepare) await prepare(tmp);
  });
}

const signal = (ctx: RecipeContext): { signal?: AbortSignal } => (ctx.signal ? { signal: ctx.signal } : {});

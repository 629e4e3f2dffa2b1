/**
 * Build WALT's default images from their recipes (busybox.ts, debian.ts) into a BlobSink, or into an OCI layout
 * directory, skipped when that layout already holds the image of the same recipe hash.
 *
 *   bun server/images/defaults/build.ts <busybox|debian> <out-oci-layout-dir> [--cache-dir DIR]
 *
 * Caches: Debian packages under the cache dir (default $WALT_IMAGE_CACHE, else ~/.cache/walt/image-recipes);
 * each build works in <cacheDir>/work/<name>-<uuid>/, removed afterwards.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import { createLogger } from "../../../src/log.ts";
import { DirBlobSink, type BlobSink } from "../build/blob-sink.ts";
import { writeImage } from "../build/image-writer.ts";
import { writeLayer } from "../build/layer-writer.ts";
import { findOciRef, writeOciLayout } from "../build/oci-layout.ts";
import { busyboxRecipe } from "./busybox.ts";
import { debianRecipe } from "./debian.ts";
import { RECIPE_HASH_LABEL, type DefaultImageName, type Recipe, type RecipeContext } from "./recipe.ts";

/** Bump when a recipe's code changes what it produces in a way its inputs do not show. */
export const RECIPE_FORMAT = "1";
export const RECIPE_HASH_ANNOTATION = "walt.recipe.hash";

const RECIPES: Record<DefaultImageName, Recipe> = { busybox: busyboxRecipe, debian: debianRecipe };

export function defaultRecipe(name: string): Recipe {
  const recipe = (RECIPES as Record<string, Recipe | undefined>)[name];
  if (!recipe) throw new WaltError("USAGE", `Unknown default image recipe '${name}'; use one of: ${Object.keys(RECIPES).join(", ")}.`);
  return recipe;
}

/** sha256 of everything the recipe's output depends on. */
export async function recipeHash(recipe: Recipe, ctx: RecipeContext): Promise<string> {
  const inputs = Object.entries(await recipe.inputs(ctx)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { name, fullname, labels, cmd, env } = recipe;
  return createHash("sha256").update(JSON.stringify({ RECIPE_FORMAT, name, fullname, labels, cmd, env, inputs })).digest("hex");
}

export interface BuildOptions extends RecipeContext {
  out: BlobSink;
}

export interface BuiltImage {
  fullname: string;
  manifestDigest: string;
  manifestBytes: Uint8Array;
  recipeHash: string;
  labels: Record<string, string>;
}

/** Build one default image into `opts.out`. */
export async function buildDefaultImage(name: DefaultImageName, opts: BuildOptions, knownHash?: string): Promise<BuiltImage> {
  const recipe = defaultRecipe(name);
  const hash = knownHash ?? (await recipeHash(recipe, opts));
  const log = opts.log.child({ image: recipe.fullname });
  const work = join(opts.cacheDir, "work", `${name}-${randomUUID()}`);
  const root = join(work, "rootfs");
  await mkdir(root, { recursive: true });
  try {
    const t0 = Date.now();
    const populated = await recipe.populate(root, { ...opts, log });
    log.info("root filesystem ready", { ms: Date.now() - t0 });
    const layer = await writeLayer(root, opts.out, { compression: "gzip", ...populated.layer });
    log.info("layer written", { digest: layer.digest, bytes: layer.size, ms: Date.now() - t0 });
    const labels = { ...recipe.labels, [RECIPE_HASH_LABEL]: hash };
    const image = await writeImage({
      layers: [layer], labels, created: populated.created, architecture: "amd64", os: "linux", cmd: recipe.cmd, env: recipe.env, out: opts.out,
    });
    return { fullname: recipe.fullname, manifestDigest: image.manifestDigest, manifestBytes: image.manifestBytes, recipeHash: hash, labels };
  } finally {
    await removeWorkDir(work);
  }
}

/** Remove a build folder, refusing while something is mounted inside (a crashed chroot's /proc or /dev). */
async function removeWorkDir(work: string): Promise<void> {
  const mounts = (await readFile("/proc/self/mounts", "utf8").catch(() => ""))
    .split("\n")
    .map((l) => (l.split(" ")[1] ?? "").replace(/\\040/g, " "))
    .filter((m) => m === work || m.startsWith(`${work}/`));
  if (mounts.length > 0) throw new WaltError("INTERNAL", `Not removing ${work}: still mounted there: ${mounts.join(", ")}.`);
  await rm(work, { recursive: true, force: true });
}

/** Build `name` into the OCI layout `dir` unless it already holds this recipe's image; other images there are kept. */
export async function buildDefaultLayout(name: DefaultImageName, dir: string, ctx: RecipeContext): Promise<{ built: boolean; manifestDigest: string; fullname: string }> {
  const recipe = defaultRecipe(name);
  const hash = await recipeHash(recipe, ctx);
  const blobs = new DirBlobSink(dir);
  const existing = await findOciRef(dir, recipe.fullname);
  if (existing?.annotations?.[RECIPE_HASH_ANNOTATION] === hash && (await blobs.has(existing.digest))) {
    ctx.log.info("default image up to date", { image: recipe.fullname, digest: existing.digest });
    return { built: false, manifestDigest: existing.digest, fullname: recipe.fullname };
  }
  const image = await buildDefaultImage(name, { ...ctx, out: blobs }, hash);
  await writeOciLayout(dir, recipe.fullname, image, { annotations: { [RECIPE_HASH_ANNOTATION]: hash } });
  ctx.log.info("default image built", { image: recipe.fullname, digest: image.manifestDigest, layout: dir });
  return { built: true, manifestDigest: image.manifestDigest, fullname: recipe.fullname };
}

export function defaultCacheDir(): string {
  return process.env["WALT_IMAGE_CACHE"] ?? join(process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "walt", "image-recipes");
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf("--cache-dir");
  const cacheDir = at >= 0 ? argv[at + 1] : defaultCacheDir();
  const [name, out] = argv.filter((_, i) => i !== at && i !== at + 1);
  if (!name || !out || !cacheDir) {
    console.error("usage: bun server/images/defaults/build.ts <busybox|debian> <out-oci-layout-dir> [--cache-dir DIR]");
    process.exitCode = 2;
    return;
  }
  const log = createLogger();
  try {
    const r = await buildDefaultLayout(defaultRecipe(name).name, resolve(out), { cacheDir: resolve(cacheDir), log });
    console.log(`${r.fullname} ${r.manifestDigest}${r.built ? "" : " (up to date)"}`);
  } catch (err) {
    if (!(err instanceof WaltError)) throw err;
    console.error(err.message + (err.hint ? `\n${err.hint}` : ""));
    process.exitCode = 1;
  }
}

// No top-level await: the compiled binary is a CommonJS bundle and may import this module.
if (import.meta.main) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

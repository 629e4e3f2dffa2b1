/**
 * `walt image build` (WALT §4.7, walt-image-build-helper): get the build directory (a tar from the client, or
 * `git clone --depth 1`), check for a Dockerfile, rewrite its FROM lines, build with
 * `buildah --storage-driver vfs bud --isolation chroot` in a throw-away storage root under the data dir, push
 * the result to an OCI layout, import it into the store, check its `walt.node.models` label, tag it.
 * Every step prints WALT's `** …` line; the tools' output is streamed as it comes.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { WaltError } from "../../../src/errors.ts";
import { formatImageFullname } from "../../../src/domain/image-name.ts";
import { validateImageName } from "../../../src/domain/names.ts";
import { modelsOf } from "../store/oci.ts";
import { removeTree } from "../store/unpack-fs.ts";
import { exportToLayout, shareBaseLayers } from "./build-layout.ts";
import { fromImages, fullnameOfRef, rewriteDockerfile } from "./dockerfile.ts";
import { extractUnder } from "./extract-tar.ts";
import { resolveInImage } from "./image-path.ts";
import { runLines } from "./run-lines.ts";
import type { ImageContentService } from "./service.ts";

export type BuildParams = { mode: "dir"; name: string } | { mode: "url"; name: string; url: string; subdir: string };
export type BuildEmit = (stream: "out" | "err", line: string) => void;

export const MISSING_LABEL = "FAILED: The image is missing a 'LABEL walt.node.models=<models>' to indicate compatibility.";

/** The tools a build needs (looked up in `path`), checked before anything is received. */
export function requireBuildTools(mode: "dir" | "url", path = process.env["PATH"] ?? ""): string {
  const buildah = Bun.which("buildah", { PATH: path });
  if (buildah === null) {
    throw new WaltError("UNAVAILABLE", "Cannot build images: buildah is not installed on the WalT server.", { hint: "install the Debian package buildah on the server (apt-get install buildah)" });
  }
  if (mode === "url" && Bun.which("git", { PATH: path }) === null) {
    throw new WaltError("UNAVAILABLE", "Cannot build images from a git repository: git is not installed on the WalT server.", { hint: "install the Debian package git on the server (apt-get install git)" });
  }
  return buildah;
}

/** The full name of a new image `name` of `user`; WALT's messages for an invalid name. */
export function buildTarget(user: string, name: string): string {
  const bad = validateImageName(name);
  if (bad !== undefined) throw new WaltError("USAGE", bad);
  return formatImageFullname(user, name);
}

/** WALT's create_image_build_session: is an image of the working set overwritten (the client confirms)? */
export async function prepareBuild(svc: ImageContentService, user: string, name: string): Promise<{ overwrite: boolean; warning?: string }> {
  const fullname = buildTarget(user, name);
  if ((await svc.ctx.images.resolve(fullname)) === undefined) return { overwrite: false };
  return { overwrite: true, warning: await svc.overwriteWarning(fullname) };
}

class BuildFailed extends Error {}

/** Run the build; false when it failed (the reason was emitted, then `Sorry, image build FAILED.`). */
export async function runBuild(svc: ImageContentService, user: string, p: BuildParams, body: ReadableStream<Uint8Array> | undefined, emit: BuildEmit, signal: AbortSignal): Promise<boolean> {
  const fullname = buildTarget(user, p.name);
  const buildah = requireBuildTools(p.mode);
  const work = join(svc.tmp, `build-${randomBytes(6).toString("hex")}`);
  const context = join(work, "context");
  let baseLayout: string | undefined;
  const fail = (stream: "out" | "err", line: string): never => {
    emit(stream, line);
    throw new BuildFailed(line);
  };
  try {
    mkdirSync(context, { recursive: true });
    let dir = context;
    if (p.mode === "dir") {
      emit("out", "** Receiving the client directory content");
      if (body === undefined) throw new WaltError("BAD_REQUEST", "The build directory content is missing.");
      await extractUnder(context, "", p.name, body, svc.ctx.log);
    } else {
      emit("out", `** Cloning the git repository at ${p.url}`);
      const env = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
      const code = await runLines(["git", "clone", "--depth", "1", "--single-branch", p.url, context], { env, signal }, emit);
      if (code !== 0) throw new BuildFailed("git clone");
      if (p.subdir !== "") {
        const sub = resolveInImage(context, `/${p.subdir}`);
        if (sub === undefined || !lstatSync(sub).isDirectory()) fail("err", `No such directory "${p.subdir}".`);
        dir = sub as string;
      }
    }
    emit("out", "** Verifying the repository");
    const dockerfile = findDockerfile(dir);
    if (dockerfile === undefined) {
      const word = p.mode === "url" ? "repository" : "directory";
      const precision = p.mode === "url" && p.subdir !== "" ? ` in sub-directory '${p.subdir}'` : "";
      fail("out", `FAILED: the specified ${word} does not contain a Dockerfile or ContainerFile${precision}.`);
    }
    baseLayout = baseLayoutDir(work);
    const bases = await prepareDockerfile(svc, user, dir, dockerfile as string, baseLayout);
    emit("out", "** Building the image");
    const common = ["--storage-driver", "vfs", "--root", join(work, "storage"), "--runroot", join(work, "run")];
    const policy = join(work, "policy.json");
    writeFileSync(policy, JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    mkdirSync(join(work, "tmp"));
    const env = { ...process.env, BUILDAH_ISOLATION: "chroot", TMPDIR: join(work, "tmp") };
    const iidFile = join(work, "iid");
    const bud = [buildah, ...common, "bud", "--isolation", "chroot", "--signature-policy", policy, "--iidfile", iidFile, "-f", "Dockerfile", "-t", `localhost/walt-build:${randomBytes(4).toString("hex")}`, "."];
    if ((await runLines(bud, { cwd: dir, env, signal }, emit)) !== 0) throw new BuildFailed("buildah bud");
    const iid = readFileSync(iidFile, "utf8").trim();
    const layout = join(work, "out");
    const push = [buildah, ...common, "push", "--quiet", "--signature-policy", policy, iid, `oci:${layout}:${fullname}`];
    if ((await runLines(push, { env, signal }, emit)) !== 0) throw new BuildFailed("buildah push");
    emit("out", "** Verifying the image");
    const overwritten = await svc.ctx.images.hold(async () => {
      const [imported] = await svc.ctx.images.importLayout(layout, fullname);
      if (imported === undefined) throw new WaltError("INTERNAL", "buildah pushed no image.");
      if (modelsOf(await svc.ctx.images.config(imported.digest)).length === 0) fail("err", MISSING_LABEL);
      emit("out", "OK");
      const digest = await shareBaseLayers(svc.ctx.images, imported.digest, bases);
      const existed = (await svc.ctx.images.resolve(fullname)) !== undefined;
      await svc.ctx.images.tag(fullname, digest);
      return existed;
    });
    if (overwritten) for (const line of await svc.afterOverwrite(fullname)) emit("out", line);
    // The blobs buildah re-compressed for shared base layers are unreferenced now.
    await svc.ctx.images.gc();
    return true;
  } catch (err) {
    if (!(err instanceof BuildFailed)) {
      if (!(err instanceof WaltError)) svc.ctx.log.error("image build failed", { image: fullname, error: String(err) });
      emit("err", err instanceof Error ? err.message : String(err));
    }
    emit("err", "Sorry, image build FAILED.");
    return false;
  } finally {
    removeTree(work);
    if (baseLayout !== undefined && !baseLayout.startsWith(work)) removeTree(baseLayout);
  }
}

/** A docker reference path component (buildah 1.28 names an `oci:<dir>` image `localhost/<dir>`). */
const REFERENCE_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Where base images are exported for buildah: in the build directory when its path can be part of an image
 * reference (buildah refuses `FROM oci:<dir>` otherwise, e.g. with capitals in the path), else under /tmp.
 */
function baseLayoutDir(work: string): string {
  const inside = join(work, "base");
  if (inside.split("/").slice(1).every((c) => REFERENCE_COMPONENT.test(c))) return inside;
  return join("/tmp", `walt-build-base-${randomBytes(6).toString("hex")}`);
}

/** `Dockerfile`, else `ContainerFile` renamed to `Dockerfile`: a regular file inside `dir`, or undefined. */
function findDockerfile(dir: string): string | undefined {
  for (const name of ["Dockerfile", "ContainerFile"]) {
    const host = resolveInImage(dir, `/${name}`);
    if (host === undefined || !lstatSync(host).isFile()) continue;
    const target = join(dir, "Dockerfile");
    if (host !== target) {
      const text = readFileSync(host);
      if (existsSync(target)) unlinkSync(target);
      writeFileSync(target, text);
    }
    return target;
  }
  return undefined;
}

/** Rewrite the FROM lines; export the base images our store has; answers their manifest digests. */
async function prepareDockerfile(svc: ImageContentService, user: string, dir: string, dockerfile: string, baseLayout: string): Promise<string[]> {
  const text = readFileSync(dockerfile, "utf8");
  const exported = new Map<string, string>();
  const bases: string[] = [];
  for (const ref of fromImages(text, user)) {
    const fullname = fullnameOfRef(ref);
    const digest = fullname === undefined ? undefined : await svc.ctx.images.resolve(fullname);
    if (fullname === undefined || digest === undefined || exported.has(ref)) continue;
    await exportToLayout(svc.ctx.images, fullname, digest, baseLayout);
    exported.set(ref, `oci:${baseLayout}:${fullname}`);
    bases.push(digest);
  }
  const tmp = join(dir, `.Dockerfile.walt-${randomBytes(4).toString("hex")}`);
  writeFileSync(tmp, rewriteDockerfile(text, user, exported));
  renameSync(tmp, join(dir, "Dockerfile"));
  return bases;
}

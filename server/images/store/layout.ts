/**
 * The OCI image layout's top-level files: `oci-layout` and `index.json`.
 *
 * index.json is derived from the tag list (the database is the source of truth) and rewritten after every
 * change; each tagged image is a descriptor annotated `org.opencontainers.image.ref.name` = its WALT fullname,
 * so umoci or skopeo can read an image with `<layout>:<user>/<name>:<tag>`. Writes are atomic (temp + rename)
 * so a reader or a crash never sees half a file.
 */
import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { WaltError } from "../../../src/errors.ts";
import { MediaType, parseIndex, type OciDescriptor } from "./oci.ts";

export const REF_NAME = "org.opencontainers.image.ref.name";
const LAYOUT_VERSION = "1.0.0";

/** One tagged image as listed in index.json. */
export interface LayoutEntry {
  fullname: string;
  digest: string;
  size: number;
  mediaType: string;
}

/** A descriptor of a layout's index.json, with its ref name when it has one. */
export interface LayoutRef {
  refName: string | undefined;
  descriptor: OciDescriptor;
}

/** Write `content` to `path` through a temp file in `tmpDir` (same filesystem) and a rename. */
export async function writeAtomic(path: string, content: string, tmpDir: string): Promise<void> {
  const tmp = join(tmpDir, `layout-${randomBytes(8).toString("hex")}`);
  try {
    await writeFile(tmp, content, { mode: 0o644 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The index.json text for these entries (sorted by fullname, so equal tag sets give equal files). */
export function indexJson(entries: LayoutEntry[]): string {
  const manifests = [...entries]
    .sort((a, b) => (a.fullname < b.fullname ? -1 : a.fullname > b.fullname ? 1 : 0))
    .map((e) => ({ mediaType: e.mediaType, digest: e.digest, size: e.size, annotations: { [REF_NAME]: e.fullname } }));
  return JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, null, 2) + "\n";
}

/** Write `oci-layout` (when missing) and `index.json` under the layout dir `root`. */
export async function writeLayout(root: string, entries: LayoutEntry[], tmpDir: string): Promise<void> {
  if (!existsSync(join(root, "oci-layout"))) {
    await writeAtomic(join(root, "oci-layout"), JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }) + "\n", tmpDir);
  }
  await writeAtomic(join(root, "index.json"), indexJson(entries), tmpDir);
}

/** Read an OCI layout dir's index.json (ours or one written by another tool). BAD_REQUEST if it is not a layout. */
export async function readLayout(root: string): Promise<LayoutRef[]> {
  let marker: unknown;
  try {
    marker = JSON.parse(await readFile(join(root, "oci-layout"), "utf8"));
  } catch {
    throw new WaltError("BAD_REQUEST", `${root} is not an OCI image layout (no valid oci-layout file).`);
  }
  const version = (marker as { imageLayoutVersion?: unknown } | null)?.imageLayoutVersion;
  if (typeof version !== "string" || !version.startsWith("1.")) {
    throw new WaltError("BAD_REQUEST", `${root}: unsupported OCI image layout version ${JSON.stringify(version)}.`);
  }
  const index = parseIndex(await readFile(join(root, "index.json")).catch(() => "{}"));
  return index.manifests.map((descriptor) => ({ refName: descriptor.annotations?.[REF_NAME], descriptor }));
}

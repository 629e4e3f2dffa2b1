/**
 * Export as an OCI image layout directory (image-spec image-layout.md): `oci-layout`, `index.json` whose
 * manifests carry `org.opencontainers.image.ref.name`, and `blobs/sha256/<hex>` (filled by a DirBlobSink on
 * the same directory). Standard tools read it: `umoci unpack --image <dir>:<ref>`, `skopeo copy oci:<dir>:<ref>`.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import { DirBlobSink, sha256Digest } from "./blob-sink.ts";
import { MEDIA_TYPE_MANIFEST } from "./image-writer.ts";

export const REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
const MEDIA_TYPE_INDEX = "application/vnd.oci.image.index.v1+json";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

interface Index {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

const isDescriptor = (v: unknown): v is Descriptor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Descriptor).digest === "string" &&
  typeof (v as Descriptor).size === "number" &&
  typeof (v as Descriptor).mediaType === "string";

/** The manifests listed by `<dir>/index.json`; none when the file is absent or not an index. */
export async function readOciIndex(dir: string): Promise<Descriptor[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, "index.json"), "utf8"));
  } catch {
    return [];
  }
  const manifests = (parsed as { manifests?: unknown }).manifests;
  return Array.isArray(manifests) ? manifests.filter(isDescriptor) : [];
}

/** The descriptor tagged `refName` in the layout, if any. */
export async function findOciRef(dir: string, refName: string): Promise<Descriptor | undefined> {
  return (await readOciIndex(dir)).find((d) => d.annotations?.[REF_NAME_ANNOTATION] === refName);
}

/**
 * Tag `image` as `refName` in the layout at `dir` (replacing a previous image of that name, keeping the others).
 * Every blob the manifest names must already be in `<dir>/blobs/sha256/`.
 */
export async function writeOciLayout(
  dir: string,
  refName: string,
  image: { manifestDigest: string; manifestBytes: Uint8Array },
  opts: { annotations?: Record<string, string> } = {},
): Promise<Descriptor> {
  if (sha256Digest(image.manifestBytes) !== image.manifestDigest) {
    throw new WaltError("INTERNAL", `Manifest bytes do not match ${image.manifestDigest}.`);
  }
  const manifest = JSON.parse(new TextDecoder().decode(image.manifestBytes)) as {
    mediaType?: string;
    config: { digest: string };
    layers: { digest: string }[];
  };
  const blobs = new DirBlobSink(dir);
  for (const digest of [image.manifestDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    if (!(await blobs.has(digest))) {
      throw new WaltError("PRECONDITION", `OCI layout ${dir} misses blob ${digest} of image ${refName}.`);
    }
  }
  const descriptor: Descriptor = {
    mediaType: manifest.mediaType ?? MEDIA_TYPE_MANIFEST,
    digest: image.manifestDigest,
    size: image.manifestBytes.byteLength,
    annotations: { ...opts.annotations, [REF_NAME_ANNOTATION]: refName },
  };
  const others = (await readOciIndex(dir)).filter((d) => d.annotations?.[REF_NAME_ANNOTATION] !== refName);
  const index: Index = { schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [...others, descriptor] };
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeAtomic(join(dir, "index.json"), JSON.stringify(index));
  return descriptor;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

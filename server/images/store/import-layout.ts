/**
 * Copy images out of an OCI image layout directory (written by umoci, skopeo, buildah, or the default-image
 * recipes) into the store. Every blob goes through BlobStore.put with its expected digest, so a corrupt or
 * tampered blob is refused and never stored; the manifest is stored last, after all its blobs, so an import
 * that fails midway leaves only unreferenced blobs (collected by gc). Tagging is left to the caller.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WaltError, notFound } from "../../../src/errors.ts";
import { digestHex, sha256Digest, type BlobStore } from "./blobs.ts";
import { readLayout } from "./layout.ts";
import { isIndexMediaType, parseIndex, parseManifest, type OciDescriptor } from "./oci.ts";

export interface ImportedImage {
  /** The descriptor's `org.opencontainers.image.ref.name`, when it has one. */
  fullname?: string;
  /** The image manifest digest (for an index: the manifest chosen for this platform). */
  digest: string;
}

interface Target {
  blobs: BlobStore;
  putManifest(bytes: Uint8Array): Promise<string>;
}

/** OCI architecture names of Node's `process.arch`. */
const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", riscv64: "riscv64", ppc64: "ppc64le", s390x: "s390x" };

/** Copy the images of layout `dir` (only the one named `refName` when given) into the store. */
export async function importLayout(store: Target, dir: string, refName?: string): Promise<ImportedImage[]> {
  let refs = await readLayout(dir);
  if (refName !== undefined) {
    refs = refs.filter((r) => r.refName === refName);
    if (refs.length === 0) throw notFound(`No image named '${refName}' in the OCI layout ${dir}.`);
  }
  const out: ImportedImage[] = [];
  for (const ref of refs) {
    const digest = await importManifest(store, dir, await chooseManifest(dir, ref.descriptor));
    out.push(ref.refName === undefined ? { digest } : { fullname: ref.refName, digest });
  }
  return out;
}

/** A blob of the layout; BAD_REQUEST when it is missing (a layout must hold every blob it refers to). */
function layoutBlob(dir: string, digest: string): ReturnType<typeof Bun.file> {
  const path = join(dir, "blobs", "sha256", digestHex(digest));
  if (!existsSync(path)) throw new WaltError("BAD_REQUEST", `Blob ${digest} is missing from the OCI layout ${dir}.`);
  return Bun.file(path);
}

/** Follow indexes down to the image manifest for this machine's platform. */
async function chooseManifest(dir: string, desc: OciDescriptor, depth = 0): Promise<OciDescriptor> {
  if (!isIndexMediaType(desc.mediaType) || depth > 4) return desc;
  const index = parseIndex(await layoutBlob(dir, desc.digest).bytes());
  const arch = ARCH[process.arch] ?? process.arch;
  const known = index.manifests.filter((m) => m.platform?.architecture !== "unknown");
  const pick = known.find((m) => m.platform?.os === "linux" && m.platform.architecture === arch) ?? known[0] ?? index.manifests[0];
  if (pick === undefined) throw notFound(`The image index ${desc.digest} in ${dir} lists no manifest.`);
  return chooseManifest(dir, pick, depth + 1);
}

async function importManifest(store: Target, dir: string, desc: OciDescriptor): Promise<string> {
  const bytes = await layoutBlob(dir, desc.digest).bytes();
  const manifest = parseManifest(bytes);
  for (const blob of [manifest.config, ...manifest.layers]) {
    if (store.blobs.has(blob.digest)) continue;
    await store.blobs.put(layoutBlob(dir, blob.digest).stream(), blob.digest);
  }
  const digest = sha256Digest(bytes);
  if (digest !== desc.digest) throw new WaltError("BAD_REQUEST", `Blob digest mismatch: expected ${desc.digest}, got ${digest}.`);
  return store.putManifest(bytes);
}

/**
 * OCI image layouts around a buildah build: the base images exported from our store for buildah to read
 * (blobs hard-linked, so an export costs no copy), and the built image's layers mapped back onto the base
 * layers our store already holds (buildah re-compresses the layers it pushes: same diff_id, other blob), so a
 * layer shared by several images is still stored once.
 */
import { copyFileSync, linkSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { digestHex } from "../store/blobs.ts";
import { writeOciLayout } from "../build/oci-layout.ts";
import { MediaType } from "../store/oci.ts";
import type { ImageStore } from "../store/store.ts";

/** Export the store's image `fullname` (manifest `digest`) into the layout `dir`, as ref `fullname`. */
export async function exportToLayout(store: ImageStore, fullname: string, digest: string, dir: string): Promise<void> {
  const blobsDir = join(dir, "blobs", "sha256");
  mkdirSync(blobsDir, { recursive: true });
  const manifest = await store.manifest(digest);
  for (const d of [digest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const to = join(blobsDir, digestHex(d));
    try {
      linkSync(store.blobs.path(d), to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code !== "EXDEV" && code !== "EPERM") throw e;
      copyFileSync(store.blobs.path(d), to);
    }
  }
  await writeOciLayout(dir, fullname, { manifestDigest: digest, manifestBytes: await store.blobs.bytes(digest) });
}

const OCI_EQUIVALENT: Record<string, string> = {
  [MediaType.dockerLayerGzip]: MediaType.ociLayerGzip,
  [MediaType.ociLayerGzip]: MediaType.ociLayerGzip,
  [MediaType.ociLayerZstd]: MediaType.ociLayerZstd,
  [MediaType.ociLayer]: MediaType.ociLayer,
};

type Json = Record<string, unknown>;

/**
 * Point the layers of the stored manifest `digest` whose diff_id is one of `bases`' layers at the base's blob.
 * Answers the digest of the resulting manifest (`digest` itself when nothing changed).
 */
export async function shareBaseLayers(store: ImageStore, digest: string, bases: string[]): Promise<string> {
  const known = new Map<string, { mediaType: string; digest: string; size: number }>();
  for (const b of bases) {
    const m = await store.manifest(b);
    const diffIds = (await store.config(b)).rootfs.diff_ids;
    m.layers.forEach((l, i) => {
      const id = diffIds[i];
      const mediaType = OCI_EQUIVALENT[l.mediaType];
      if (id !== undefined && mediaType !== undefined) known.set(id, { mediaType, digest: l.digest, size: l.size });
    });
  }
  const built = await store.manifest(digest);
  if (built.mediaType !== undefined && built.mediaType !== MediaType.ociManifest) return digest;
  const diffIds = (await store.config(digest)).rootfs.diff_ids;
  let changed = false;
  const json = JSON.parse(new TextDecoder().decode(await store.blobs.bytes(digest))) as Json;
  json["layers"] = built.layers.map((l, i) => {
    const base = known.get(diffIds[i] ?? "");
    if (base === undefined || base.digest === l.digest) return l;
    changed = true;
    return { ...l, ...base };
  });
  return changed ? store.putManifest(new TextEncoder().encode(JSON.stringify(json))) : digest;
}

/**
 * Write an OCI image config and manifest for layers already in a BlobSink. The JSON is built with a fixed key
 * order and sorted labels, so the same inputs give the same manifest digest.
 */
import type { BlobSink } from "./blob-sink.ts";
import type { Layer } from "./layer-writer.ts";

export const MEDIA_TYPE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const MEDIA_TYPE_CONFIG = "application/vnd.oci.image.config.v1+json";

export interface ImageSpec {
  layers: Layer[];
  labels: Record<string, string>;
  created: Date;
  /** OCI/Go names: amd64, arm64, arm. */
  architecture: string;
  os: string;
  cmd?: string[];
  env?: string[];
  out: BlobSink;
}

export interface WrittenImage {
  manifestDigest: string;
  manifestBytes: Uint8Array;
  configDigest: string;
}

const sortedRecord = (r: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Store the config then the manifest; answer the manifest's digest and exact bytes. */
export async function writeImage(spec: ImageSpec): Promise<WrittenImage> {
  const created = spec.created.toISOString().replace(/\.000Z$/, "Z");
  const config = {
    created,
    architecture: spec.architecture,
    os: spec.os,
    config: {
      ...(spec.env ? { Env: spec.env } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      Labels: sortedRecord(spec.labels),
    },
    rootfs: { type: "layers", diff_ids: spec.layers.map((l) => l.diffId) },
    history: spec.layers.map(() => ({ created, created_by: "walt image recipe" })),
  };
  const configBytes = new TextEncoder().encode(JSON.stringify(config));
  const storedConfig = await spec.out.put(configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    config: { mediaType: MEDIA_TYPE_CONFIG, digest: storedConfig.digest, size: storedConfig.size },
    layers: spec.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
  const storedManifest = await spec.out.put(manifestBytes);
  return { manifestDigest: storedManifest.digest, manifestBytes, configDigest: storedConfig.digest };
}

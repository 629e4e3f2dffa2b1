/**
 * OCI image-spec and Docker schema2 documents: media types, validating parsers (zod) for manifests, indexes
 * and image configs, and the WALT metadata read from a config (labels §4.2, models, created time).
 * Unknown fields are kept (loose objects): documents are stored byte for byte, parsing only reads them.
 */
import { z } from "zod";
import { WaltError } from "../../../src/errors.ts";

export const MediaType = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  ociLayerNondistGzip: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  ociLayerNondistZstd: "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  ociLayerNondist: "application/vnd.oci.image.layer.nondistributable.v1.tar",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerLayerForeignGzip: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  /** Not in the Docker spec, but written by some tools; the content is an OCI zstd layer. */
  dockerLayerZstd: "application/vnd.docker.image.rootfs.diff.tar.zstd",
} as const;

export type Compression = "none" | "gzip" | "zstd";

const COMPRESSION: Record<string, Compression> = {
  [MediaType.ociLayer]: "none",
  [MediaType.ociLayerNondist]: "none",
  [MediaType.ociLayerGzip]: "gzip",
  [MediaType.ociLayerNondistGzip]: "gzip",
  [MediaType.dockerLayerGzip]: "gzip",
  [MediaType.dockerLayerForeignGzip]: "gzip",
  [MediaType.ociLayerZstd]: "zstd",
  [MediaType.ociLayerNondistZstd]: "zstd",
  [MediaType.dockerLayerZstd]: "zstd",
};

/** The compression of a layer media type; an unknown type is refused (BAD_REQUEST). */
export function layerCompression(mediaType: string): Compression {
  const c = COMPRESSION[mediaType];
  if (c === undefined) throw new WaltError("BAD_REQUEST", `Unsupported layer media type '${mediaType}'.`);
  return c;
}

export const isIndexMediaType = (t: string | undefined): boolean => t === MediaType.ociIndex || t === MediaType.dockerManifestList;
export const isManifestMediaType = (t: string | undefined): boolean => t === MediaType.ociManifest || t === MediaType.dockerManifest;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 hex digits>");
const annotations = z.record(z.string(), z.string());

export const descriptorSchema = z.looseObject({
  mediaType: z.string(),
  digest,
  size: z.number().int().nonnegative(),
  annotations: annotations.optional(),
  platform: z.looseObject({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
});
export type OciDescriptor = z.infer<typeof descriptorSchema>;

export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: annotations.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  annotations: annotations.optional(),
});
export type ImageIndex = z.infer<typeof indexSchema>;

export const configSchema = z.looseObject({
  created: z.string().optional(),
  architecture: z.string().optional(),
  os: z.string().optional(),
  // Docker writes `"Labels": null` when there are none.
  config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(digest) }),
  history: z
    .array(z.looseObject({ created: z.string().optional(), created_by: z.string().optional(), empty_layer: z.boolean().optional() }))
    .optional(),
});
export type ImageConfig = z.infer<typeof configSchema>;

function parse<T>(schema: z.ZodType<T>, what: string, bytes: Uint8Array | string): T {
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes));
  } catch (e) {
    throw new WaltError("BAD_REQUEST", `Invalid ${what}: not JSON (${(e as Error).message}).`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join(".")}` : "";
    throw new WaltError("BAD_REQUEST", `Invalid ${what}${where}: ${first?.message ?? "malformed"}.`);
  }
  return r.data;
}

/** Parse an image manifest (OCI or Docker schema2); an index is refused here. */
export function parseManifest(bytes: Uint8Array | string): Manifest {
  const m = parse(manifestSchema, "image manifest", bytes);
  if (m.mediaType !== undefined && !isManifestMediaType(m.mediaType)) {
    throw new WaltError("BAD_REQUEST", `Invalid image manifest: unexpected media type '${m.mediaType}'.`);
  }
  return m;
}

export const parseIndex = (bytes: Uint8Array | string): ImageIndex => parse(indexSchema, "image index", bytes);
export const parseConfig = (bytes: Uint8Array | string): ImageConfig => parse(configSchema, "image config", bytes);

/** The image labels (config.Labels), empty when none. */
export const labelsOf = (config: ImageConfig): Record<string, string> => config.config?.Labels ?? {};

/** The node models of label `walt.node.models` (comma-separated); empty when the label is absent. */
export function modelsOf(config: ImageConfig): string[] {
  const v = labelsOf(config)["walt.node.models"];
  return v === undefined ? [] : v.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/** The config's `created` time in microseconds (RFC 3339, nanoseconds allowed); undefined if absent/invalid. */
export function createdUsOf(config: ImageConfig): number | undefined {
  const m = config.created === undefined ? null : RFC3339.exec(config.created);
  if (!m?.[1] || !m[3]) return undefined;
  const wholeMs = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(wholeMs)) return undefined;
  const fractionUs = Number((m[2] ?? "").slice(0, 6).padEnd(6, "0"));
  return wholeMs * 1000 + fractionUs;
}

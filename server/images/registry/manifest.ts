/**
 * The manifest formats the client handles: OCI image manifest and index, Docker schema2 manifest and
 * manifest list. Only what pull and push need is read (descriptors); the bytes are kept as fetched.
 */
import { WaltError } from "../../../src/errors.ts";
import type { Descriptor, Platform } from "./types.ts";

export const MEDIA = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

/** The Accept header of manifest requests: every format we can read, OCI first. */
export const MANIFEST_ACCEPT = [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(", ");

export const isIndexType = (t: string): boolean => t === MEDIA.ociIndex || t === MEDIA.dockerList;
export const isManifestType = (t: string): boolean => t === MEDIA.ociManifest || t === MEDIA.dockerManifest;

export interface ImageManifest {
  kind: "manifest";
  config: Descriptor;
  layers: Descriptor[];
}
export interface ImageIndex {
  kind: "index";
  manifests: Descriptor[];
}

const badManifest = (why: string): WaltError => new WaltError("EXTERNAL", `Invalid image manifest: ${why}.`);

function descriptor(v: unknown, where: string): Descriptor {
  if (typeof v !== "object" || v === null) throw badManifest(`${where} is not a descriptor`);
  const d = v as Record<string, unknown>;
  if (typeof d["digest"] !== "string" || !/^sha256:[0-9a-f]{64}$/.test(d["digest"])) throw badManifest(`${where} has no valid sha256 digest`);
  if (typeof d["size"] !== "number" || !Number.isSafeInteger(d["size"]) || d["size"] < 0) throw badManifest(`${where} has no valid size`);
  const out: Descriptor = { mediaType: typeof d["mediaType"] === "string" ? d["mediaType"] : "", digest: d["digest"], size: d["size"] };
  const p = d["platform"] as Record<string, unknown> | undefined;
  if (typeof p === "object" && typeof p["os"] === "string" && typeof p["architecture"] === "string") {
    out.platform = { os: p["os"], architecture: p["architecture"], ...(typeof p["variant"] === "string" ? { variant: p["variant"] } : {}) };
  }
  if (typeof d["annotations"] === "object" && d["annotations"] !== null) out.annotations = d["annotations"] as Record<string, string>;
  return out;
}

/**
 * The media type of fetched bytes: the Content-Type when it is one we know, else the document's own
 * `mediaType`, else guessed from its shape (OCI allows omitting mediaType).
 */
export function detectMediaType(contentType: string | null, doc: Record<string, unknown>): string {
  const ct = (contentType ?? "").split(";")[0]?.trim() ?? "";
  if (isIndexType(ct) || isManifestType(ct)) return ct;
  if (typeof doc["mediaType"] === "string" && doc["mediaType"] !== "") return doc["mediaType"];
  if (Array.isArray(doc["manifests"])) return MEDIA.ociIndex;
  if (typeof doc["config"] === "object") return MEDIA.ociManifest;
  return ct;
}

export function parseJson(bytes: Uint8Array): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badManifest("not JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw badManifest("not a JSON object");
  return doc as Record<string, unknown>;
}

export function parseManifest(bytes: Uint8Array, mediaType: string): ImageManifest | ImageIndex {
  const doc = parseJson(bytes);
  if (doc["schemaVersion"] !== 2) throw badManifest(`schema version ${String(doc["schemaVersion"])} is not supported (only 2)`);
  if (isIndexType(mediaType)) {
    if (!Array.isArray(doc["manifests"])) throw badManifest("index without manifests");
    return { kind: "index", manifests: doc["manifests"].map((m, i) => descriptor(m, `manifests[${i}]`)) };
  }
  if (isManifestType(mediaType)) {
    if (!Array.isArray(doc["layers"])) throw badManifest("manifest without layers");
    return { kind: "manifest", config: descriptor(doc["config"], "config"), layers: doc["layers"].map((l, i) => descriptor(l, `layers[${i}]`)) };
  }
  throw badManifest(`media type "${mediaType}" is not supported`);
}

/** The platform of this machine, in OCI terms. */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  return { os: "linux", architecture: arch[process.arch] ?? process.arch };
}

/**
 * The index entry for a platform. A wanted variant must match exactly; without one, an entry without variant
 * is preferred, then the first of that os/architecture (arm64 images often say "v8").
 */
export function resolvePlatform(index: ImageIndex, want: Platform): Descriptor | undefined {
  const candidates = index.manifests.filter((m) => m.platform?.os === want.os && m.platform.architecture === want.architecture);
  if (want.variant !== undefined) return candidates.find((m) => m.platform?.variant === want.variant);
  return candidates.find((m) => m.platform?.variant === undefined) ?? candidates[0];
}

export const formatPlatform = (p: Platform): string => `${p.os}/${p.architecture}${p.variant === undefined ? "" : `/${p.variant}`}`;

/**
 * Small OCI images for the image command tests, built in memory (tar-stream + gzip): put straight into a
 * server's image store, written as an OCI layout directory (the default-images dir), or pushed to a registry.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import tarStream from "tar-stream";
import { RegistryClient } from "../../server/images/registry/client.ts";
import type { ImageStore } from "../../server/images/store/store.ts";

export interface ImageSpec {
  /** One layer per entry: path → content (default: one layer with `etc/walt-test`). */
  layers?: Record<string, string | Uint8Array>[];
  /** Layers are gzipped unless false (plain tar layers for big random contents). */
  gzip?: boolean;
  /** Default: `walt.node.models=pc-x86-64`. */
  labels?: Record<string, string>;
  /** RFC 3339, default 2024-01-02T03:04:05Z. */
  created?: string;
}

export interface BuiltImage {
  digest: string;
  manifest: Uint8Array;
  mediaType: string;
  /** Every blob but the manifest. */
  blobs: Map<string, Uint8Array>;
}

export const MODELS_LABEL = { "walt.node.models": "pc-x86-64" };
const sha = (b: Uint8Array): string => `sha256:${new Bun.CryptoHasher("sha256").update(b).digest("hex")}`;
const json = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));

async function tarOf(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const pack = tarStream.pack();
  const parts: Uint8Array[] = [];
  const done = (async () => {
    for await (const c of pack) parts.push(c as Uint8Array);
  })();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, typeof content === "string" ? content : Buffer.from(content));
  pack.finalize();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

export async function buildImage(spec: ImageSpec = {}): Promise<BuiltImage> {
  const blobs = new Map<string, Uint8Array>();
  const layers: { mediaType: string; digest: string; size: number }[] = [];
  const diffIds: string[] = [];
  for (const files of spec.layers ?? [{ "etc/walt-test": "hello\n" }]) {
    const tar = await tarOf(files);
    diffIds.push(sha(tar));
    const gzip = spec.gzip !== false;
    const blob = gzip ? new Uint8Array(gzipSync(tar)) : tar;
    blobs.set(sha(blob), blob);
    layers.push({ mediaType: `application/vnd.oci.image.layer.v1.tar${gzip ? "+gzip" : ""}`, digest: sha(blob), size: blob.byteLength });
  }
  const config = json({
    created: spec.created ?? "2024-01-02T03:04:05Z",
    architecture: "amd64",
    os: "linux",
    config: { Labels: spec.labels ?? MODELS_LABEL, Env: ["PATH=/bin"] },
    rootfs: { type: "layers", diff_ids: diffIds },
  });
  blobs.set(sha(config), config);
  const mediaType = "application/vnd.oci.image.manifest.v1+json";
  const manifest = json({ schemaVersion: 2, mediaType, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(config), size: config.byteLength }, layers });
  return { digest: sha(manifest), manifest, mediaType, blobs };
}

/** Build an image and tag it `fullname` in `store`; answers its manifest digest. */
export async function storeImage(store: ImageStore, fullname: string, spec: ImageSpec = {}): Promise<string> {
  const img = await buildImage(spec);
  for (const b of img.blobs.values()) await store.blobs.put(b);
  const digest = await store.putManifest(img.manifest);
  await store.tag(fullname, digest);
  return digest;
}

/** Write (or add to) the OCI layout `dir` with the image tagged `refName`. */
export async function writeLayoutImage(dir: string, refName: string, spec: ImageSpec = {}): Promise<string> {
  const img = await buildImage(spec);
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  for (const [d, b] of [...img.blobs, [img.digest, img.manifest] as const]) writeFileSync(join(dir, "blobs", "sha256", d.slice(7)), b);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const descriptor = { mediaType: img.mediaType, digest: img.digest, size: img.manifest.byteLength, annotations: { "org.opencontainers.image.ref.name": refName } };
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }));
  return img.digest;
}

/** Push a built image to `url` as `repo:tag`; answers its manifest digest. */
export async function pushImage(url: string, repo: string, tag: string, spec: ImageSpec = {}, credentials?: { username: string; password: string }): Promise<string> {
  const img = await buildImage(spec);
  const source = {
    get: (d: string) => new Blob([img.blobs.get(d) ?? new Uint8Array()]).stream(),
    size: (d: string) => img.blobs.get(d)?.byteLength ?? 0,
  };
  const client = new RegistryClient({ baseUrl: url, credentials });
  // Learn the registry's auth scheme first: concurrent first requests would all meet the 401 challenge.
  await client.ping();
  await client.push(repo, tag, img.manifest, img.mediaType, source);
  return img.digest;
}

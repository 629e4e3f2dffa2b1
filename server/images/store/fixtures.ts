/**
 * Test fixtures (used by the store's tests only): tar layers built in memory with tar-stream, and whole
 * images (layers + config + manifest) stored into a BlobStore.
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { gzipSync, zstdCompressSync } from "node:zlib";
import * as tar from "tar-stream";
import { sha256Digest, type BlobStore } from "./blobs.ts";
import { MediaType, type Compression } from "./oci.ts";

/** One tar member: a header (tar-stream's, plus PAX records) and a body for regular files. */
export type FixtureEntry = Partial<tar.Header> & { name: string; body?: string; pax?: Record<string, string> };

const T = new Date("2023-11-14T22:13:20Z");

export const file = (name: string, body: string, mode = 0o644, extra: Partial<FixtureEntry> = {}): FixtureEntry => ({ name, body, mode, mtime: T, ...extra });
export const dir = (name: string, mode = 0o755, extra: Partial<FixtureEntry> = {}): FixtureEntry => ({ name, type: "directory", mode, mtime: T, ...extra });
export const symlink = (name: string, target: string): FixtureEntry => ({ name, type: "symlink", linkname: target, mode: 0o777, mtime: T });
export const hardlink = (name: string, target: string): FixtureEntry => ({ name, type: "link", linkname: target, mode: 0o644, mtime: T });
export const whiteout = (path: string): FixtureEntry => {
  const slash = path.lastIndexOf("/");
  return file(`${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`, "");
};
export const opaque = (dirPath: string): FixtureEntry => file(`${dirPath}/.wh..wh..opq`, "");

/** An uncompressed tar of `entries`, in order. */
export async function tarOf(entries: FixtureEntry[]): Promise<Uint8Array> {
  const pack = tar.pack();
  const collected = (async (): Promise<Uint8Array> => {
    const chunks: Uint8Array[] = [];
    for await (const c of pack) chunks.push(c as Uint8Array);
    return Buffer.concat(chunks);
  })();
  for (const { body, ...header } of entries) pack.entry(header, body ?? "");
  pack.finalize();
  return collected;
}

export interface FixtureLayer {
  bytes: Uint8Array;
  mediaType: string;
  /** sha256 of the uncompressed tar (config rootfs.diff_ids). */
  diffId: string;
}

/** A layer blob: tar, then compressed, with its media type. */
export async function layerOf(entries: FixtureEntry[], compression: Compression = "gzip"): Promise<FixtureLayer> {
  const t = await tarOf(entries);
  const diffId = sha256Digest(t);
  if (compression === "gzip") return { bytes: gzipSync(t), mediaType: MediaType.ociLayerGzip, diffId };
  if (compression === "zstd") return { bytes: zstdCompressSync(t), mediaType: MediaType.ociLayerZstd, diffId };
  return { bytes: t, mediaType: MediaType.ociLayer, diffId };
}

/** Store an image made of `layers` with `labels`; returns the manifest digest and bytes. */
export async function storeImage(
  blobs: BlobStore,
  layers: FixtureLayer[],
  labels: Record<string, string> = { "walt.node.models": "pc-x86-64" },
  created = "2023-11-14T22:13:20.5Z",
): Promise<{ digest: string; bytes: Uint8Array; layers: { digest: string; mediaType: string; size: number }[] }> {
  const descs = [];
  for (const l of layers) descs.push({ mediaType: l.mediaType, ...(await blobs.put(l.bytes)) });
  const config = JSON.stringify({ created, architecture: "amd64", os: "linux", config: { Labels: labels }, rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) }, history: [] });
  const c = await blobs.put(config);
  const manifest = new TextEncoder().encode(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, ...c }, layers: descs }),
  );
  const m = await blobs.put(manifest);
  return { digest: m.digest, bytes: manifest, layers: descs };
}

/**
 * A sorted listing of a tree (the root itself excluded), one line per path: type, mode, owner, link count,
 * mtime (with `times`), and content / link target — what two unpacks of the same image must agree on.
 */
export function treeOf(root: string, opts: { owners?: boolean; times?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(rel === "" ? root : `${root}/${rel}`).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const p = `${root}/${r}`;
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, "0");
      const owner = opts.owners ? ` ${st.uid}:${st.gid}` : "";
      const time = opts.times ? ` t=${Math.floor(st.mtimeMs / 1000)}` : "";
      if (st.isDirectory()) out.push(`${r}/ ${mode}${owner}${time}`);
      else if (st.isSymbolicLink()) out.push(`${r} -> ${readlinkSync(p)}${owner}${time}`);
      else if (st.isFile()) out.push(`${r} ${mode}${owner} n=${st.nlink}${time} ${JSON.stringify(readFileSync(p, "utf8").slice(0, 40))}`);
      else out.push(`${r} ${st.isFIFO() ? "fifo" : st.isCharacterDevice() ? "chr" : "blk"} ${mode}${owner} rdev=${st.rdev}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk("");
  return out;
}

/** The path of a reference tool the cross-checks need; a missing tool fails the test (never skips it). */
export function requireTool(name: string, pkg: string): string {
  const path = Bun.which(name);
  if (path === null) throw new Error(`\`${name}\` is not installed: install it (apt-get install ${pkg}) to run this cross-check`);
  return path;
}

/** The error a promise rejects with; fails when it resolves. (Bun's `rejects` matchers are typed as void.) */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error("expected the promise to reject, it resolved");
}

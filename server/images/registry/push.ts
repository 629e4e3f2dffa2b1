/**
 * Push: every blob of the manifest the registry does not have (HEAD), optionally mounted from another
 * repository of the same registry, else uploaded in chunks (POST, PATCH with Content-Range, PUT ?digest=);
 * then the manifest. A chunk whose PATCH failed on the network is resumed from the offset the registry
 * reports for the session (GET on the upload URL), the only resumption the protocol offers; when the registry
 * dropped the session instead, the blob is sent again in a new one.
 */
import { WaltError } from "../../../src/errors.ts";
import { sha256 } from "./digest.ts";
import { corrupted, unexpected } from "./errors.ts";
import { blobExists, checkRepo, checkRef, pullScope, pushScope } from "./endpoints.ts";
import { parseManifest } from "./manifest.ts";
import { inPool } from "./pool.ts";
import type { Transport } from "./transport.ts";
import type { BlobSource, Descriptor, OnProgress, ProgressPhase } from "./types.ts";

export interface PushOptions {
  /** Try to mount blobs from this repository of the same registry before uploading them. */
  mountFrom?: string;
  /** PATCH size in bytes (default 8 MiB; S3-backed registries need at least 5 MiB but for the last one). */
  chunkSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

const RETRIES = 3;

/**
 * The registry dropped the upload session. distribution does so when a PATCH landed but its answer (with the
 * next session URL) was lost: the URL we still hold then names a stale offset. The blob is sent again.
 */
class SessionLost extends Error {
  constructor(readonly error: WaltError) {
    super(error.message);
  }
}

export async function pushImage(
  t: Transport,
  repo: string,
  tag: string,
  manifestBytes: Uint8Array,
  mediaType: string,
  source: BlobSource,
  onProgress: OnProgress,
  o: PushOptions = {},
): Promise<{ digest: string }> {
  checkRepo(repo);
  checkRef(tag);
  if (o.mountFrom !== undefined) checkRepo(o.mountFrom);
  const parsed = parseManifest(manifestBytes, mediaType);
  if (parsed.kind === "index") throw new WaltError("BAD_REQUEST", "Pushing an image index is not supported; push each image manifest.");
  const jobs: { d: Descriptor; phase: ProgressPhase }[] = [{ d: parsed.config, phase: "config" }];
  for (const l of parsed.layers) if (!jobs.some((j) => j.d.digest === l.digest)) jobs.push({ d: l, phase: "layer" });
  await inPool(jobs, o.concurrency ?? 3, o.signal, async ({ d, phase }, signal) => {
    const progress = (bytes: number): void => onProgress({ phase, digest: d.digest, bytes, total: d.size });
    if (await blobExists(t, repo, d.digest, [pushScope(repo)], signal)) return progress(d.size);
    let location = await startUpload(t, repo, d.digest, o.mountFrom, signal);
    if (location === undefined) return progress(d.size); // mounted
    for (let attempt = 1; ; attempt++) {
      try {
        return await upload(t, [pushScope(repo)], location, d, source, o.chunkSize ?? 8 * 1024 * 1024, progress, signal);
      } catch (e) {
        if (!(e instanceof SessionLost) || attempt >= RETRIES) throw e instanceof SessionLost ? e.error : e;
        location = (await startUpload(t, repo, d.digest, undefined, signal)) as string;
      }
    }
  });
  const digest = sha256(manifestBytes);
  const res = await t.send({ method: "PUT", url: `/v2/${repo}/manifests/${tag}`, scopes: [pushScope(repo)], headers: { "content-type": mediaType }, body: manifestBytes, signal: o.signal });
  if (res.status !== 201 && res.status !== 200) throw await unexpected(t.host, `PUT manifest ${repo}:${tag}`, res);
  await res.body?.cancel();
  const claimed = res.headers.get("docker-content-digest");
  if (claimed?.startsWith("sha256:") && claimed !== digest) throw corrupted(t.host, digest, `the registry stored it as ${claimed}`);
  onProgress({ phase: "manifest", digest, bytes: manifestBytes.byteLength, total: manifestBytes.byteLength });
  return { digest };
}

/** Open an upload session; undefined when the blob was mounted from `mountFrom` instead. */
async function startUpload(t: Transport, repo: string, digest: string, mountFrom: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  const mount = mountFrom !== undefined && mountFrom !== repo;
  const url = mount ? `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : `/v2/${repo}/blobs/uploads/`;
  const res = await t.send({ method: "POST", url, scopes: mount ? [pushScope(repo), pullScope(mountFrom)] : [pushScope(repo)], signal });
  await res.body?.cancel();
  if (mount && res.status === 201) return undefined;
  const location = res.headers.get("location");
  if (res.status !== 202 || !location) throw await unexpected(t.host, `POST upload of ${repo}`, res);
  return t.resolve(location, t.resolve(url));
}

async function upload(t: Transport, scopes: readonly string[], start: string, d: Descriptor, source: BlobSource, chunkSize: number, progress: (n: number) => void, signal: AbortSignal): Promise<void> {
  const size = await source.size(d.digest);
  if (size !== d.size) throw new WaltError("INTERNAL", `Blob ${d.digest} has ${size} bytes in the store but ${d.size} in the manifest.`);
  let location = start;
  let offset = 0;
  for await (const chunk of chunks(source.get(d.digest), chunkSize)) {
    location = await sendChunk(t, scopes, location, chunk, offset, signal);
    offset += chunk.byteLength;
    progress(offset);
  }
  if (offset !== d.size) throw new WaltError("INTERNAL", `Blob ${d.digest} gave ${offset} bytes instead of ${d.size}.`);
  const url = new URL(location);
  url.searchParams.set("digest", d.digest);
  const res = await t.send({ method: "PUT", url: url.toString(), scopes, headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(0), signal });
  await res.body?.cancel();
  if (res.status !== 201) throw await unexpected(t.host, `PUT blob ${d.digest}`, res);
}

/** PATCH one chunk at `offset`; on a network failure or a 5xx/416, ask the registry where it is and resume. */
async function sendChunk(t: Transport, scopes: readonly string[], location: string, chunk: Uint8Array, offset: number, signal: AbortSignal): Promise<string> {
  let at = offset;
  let url = location;
  for (let attempt = 1; ; attempt++) {
    const body = chunk.subarray(at - offset);
    if (body.byteLength === 0) return url;
    try {
      const res = await t.send({
        method: "PATCH",
        url,
        scopes,
        headers: { "content-type": "application/octet-stream", "content-range": `${at}-${at + body.byteLength - 1}` },
        body,
        streamed: true,
        signal,
      });
      if (res.status === 202) {
        await res.body?.cancel();
        return t.resolve(res.headers.get("location") ?? url, url);
      }
      if (res.status === 404) throw new SessionLost(await unexpected(t.host, `PATCH upload chunk at ${at}`, res));
      if ((res.status !== 416 && res.status < 500) || attempt >= RETRIES) throw await unexpected(t.host, `PATCH upload chunk at ${at}`, res);
      await res.body?.cancel();
    } catch (e) {
      if (!(e instanceof WaltError && e.code === "UNAVAILABLE") || attempt >= RETRIES || signal.aborted) throw e;
    }
    ({ url, at } = await uploadStatus(t, scopes, url, offset, offset + chunk.byteLength, signal));
  }
}

/** Where an upload session stands: the byte the registry expects next (Range: 0-<last>) and the session URL. */
async function uploadStatus(t: Transport, scopes: readonly string[], url: string, min: number, max: number, signal: AbortSignal): Promise<{ url: string; at: number }> {
  const res = await t.send({ method: "GET", url, scopes, signal });
  if (res.status === 404) throw new SessionLost(await unexpected(t.host, "GET upload status", res));
  if (res.status !== 204) throw await unexpected(t.host, "GET upload status", res);
  await res.body?.cancel();
  const m = /^0-(\d+)$/.exec(res.headers.get("range") ?? "");
  // distribution answers 0-0 for an empty session as well as for one byte: only a chunk at 0 can be ambiguous.
  const at = !m || (m[1] === "0" && min === 0) ? 0 : Number(m[1]) + 1;
  if (at < min || at > max) throw new WaltError("EXTERNAL", `Registry ${t.host} lost part of an upload (it has ${at} bytes, expected ${min} to ${max}).`);
  return { url: t.resolve(res.headers.get("location") ?? url, url), at };
}

/** Re-slice a stream into chunks of exactly `size` bytes (the last may be shorter). */
export async function* chunks(stream: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const part of stream) {
    let pos = 0;
    while (pos < part.byteLength) {
      const n = Math.min(size - fill, part.byteLength - pos);
      buf.set(part.subarray(pos, pos + n), fill);
      fill += n;
      pos += n;
      if (fill === size) {
        yield buf;
        buf = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

/**
 * Pull: manifest (an index is resolved to one platform), then config and layers into the sink. Blobs the sink
 * already has are skipped; every downloaded byte is hashed on the way and a mismatch errors the stream, so
 * the sink never commits a bad blob. The manifest goes into the sink last: a stored manifest means a complete image.
 */
import { WaltError } from "../../../src/errors.ts";
import { verifyingStream } from "./digest.ts";
import { corrupted, imageName, unexpected, unreachable } from "./errors.ts";
import { fetchManifest, pullScope } from "./endpoints.ts";
import { formatPlatform, hostPlatform, parseManifest, resolvePlatform, type ImageManifest } from "./manifest.ts";
import { inPool } from "./pool.ts";
import type { Transport } from "./transport.ts";
import type { BlobSink, Descriptor, FetchedManifest, OnProgress, Platform, ProgressPhase } from "./types.ts";

export interface PullOptions {
  platform?: Platform;
  signal?: AbortSignal;
  /** Blobs downloaded at once (default 3). */
  concurrency?: number;
}

export interface PullResult {
  /** The image manifest (for an index, the one of the chosen platform). */
  manifest: FetchedManifest;
  /** The index the manifest was chosen from, when the reference named one. */
  index?: FetchedManifest;
  config: Descriptor;
  layers: Descriptor[];
}

/**
 * The image manifest a reference names: itself, or for an index the entry of `platform` (default: this
 * machine's). `onManifest` sees each manifest fetched.
 */
export async function resolveImage(
  t: Transport,
  repo: string,
  ref: string,
  o: { platform?: Platform | undefined; signal?: AbortSignal | undefined },
  onManifest: (m: FetchedManifest) => void = () => undefined,
): Promise<{ manifest: FetchedManifest; index?: FetchedManifest; parsed: ImageManifest }> {
  const top = await fetchManifest(t, repo, ref, o.signal);
  onManifest(top);
  const parsed = parseManifest(top.bytes, top.mediaType);
  if (parsed.kind === "manifest") return { manifest: top, parsed };
  const platform = o.platform ?? hostPlatform();
  const entry = resolvePlatform(parsed, platform);
  if (!entry) throw new WaltError("NOT_FOUND", `Image ${imageName(repo, ref)} on ${t.host} has no variant for ${formatPlatform(platform)}.`);
  const manifest = await fetchManifest(t, repo, entry.digest, o.signal);
  onManifest(manifest);
  const inner = parseManifest(manifest.bytes, manifest.mediaType);
  if (inner.kind === "index") throw corrupted(t.host, entry.digest, "an index inside an index");
  return { manifest, index: top, parsed: inner };
}

export async function pullImage(t: Transport, repo: string, ref: string, sink: BlobSink, onProgress: OnProgress, o: PullOptions = {}): Promise<PullResult> {
  const { manifest, index, parsed } = await resolveImage(t, repo, ref, o, (m) =>
    onProgress({ phase: "manifest", digest: m.digest, bytes: m.bytes.byteLength, total: m.bytes.byteLength }),
  );
  const { config, layers } = parsed;
  const jobs: { d: Descriptor; phase: ProgressPhase }[] = [];
  const seen = new Set<string>();
  for (const [d, phase] of [[config, "config"], ...layers.map((l) => [l, "layer"] as const)] as const) {
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    jobs.push({ d, phase });
  }
  await inPool(jobs, o.concurrency ?? 3, o.signal, async ({ d, phase }, signal) => {
    if (await sink.has(d.digest)) {
      onProgress({ phase, digest: d.digest, bytes: d.size, total: d.size });
      return;
    }
    await downloadBlob(t, repo, d, sink, (bytes) => onProgress({ phase, digest: d.digest, bytes, total: d.size }), signal);
  });
  if (!(await sink.has(manifest.digest))) await sink.put(manifest.bytes, manifest.digest);
  return { manifest, ...(index ? { index } : {}), config, layers };
}

/** A blob's verified byte stream, and how to tell a verification failure from the consumer's own errors. */
async function blobStream(t: Transport, repo: string, d: Descriptor, onBytes: (n: number) => void, signal?: AbortSignal): Promise<{ stream: ReadableStream<Uint8Array>; failure: () => Error | undefined }> {
  const res = await t.send({ method: "GET", url: `/v2/${repo}/blobs/${d.digest}`, scopes: [pullScope(repo)], streamed: true, signal });
  if (res.status === 404) {
    await res.body?.cancel();
    throw new WaltError("NOT_FOUND", `Registry ${t.host} has no blob ${d.digest} of ${repo}.`);
  }
  if (res.status !== 200 || !res.body) throw await unexpected(t.host, `GET blob ${d.digest} of ${repo}`, res);
  const v = verifyingStream({ digest: d.digest, size: d.size, fail: (why) => corrupted(t.host, d.digest, why), onBytes });
  return { stream: guardNetwork(res.body, t.host).pipeThrough(v.stream), failure: v.failure };
}

export async function downloadBlob(t: Transport, repo: string, d: Descriptor, sink: BlobSink, onBytes: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const { stream, failure } = await blobStream(t, repo, d, onBytes, signal);
  try {
    await sink.put(stream, d.digest);
  } catch (e) {
    // The sink may wrap the stream's error; ours says what went wrong with the registry.
    throw failure() ?? e;
  }
}

/** A small blob (an image config) into memory, verified. */
export async function fetchBlobBytes(t: Transport, repo: string, d: Descriptor, limit: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (d.size > limit) throw corrupted(t.host, d.digest, `${d.size} bytes, more than the ${limit} accepted for it`);
  const { stream } = await blobStream(t, repo, d, () => undefined, signal);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The body stream with read failures (connection dropped mid-blob) turned into the registry's one-line error. */
function guardNetwork(body: ReadableStream<Uint8Array>, host: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        try {
          const { done, value } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        } catch (e) {
          c.error(e instanceof WaltError ? e : unreachable(host, e));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

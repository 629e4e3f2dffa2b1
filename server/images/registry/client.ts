/**
 * RegistryClient: an OCI distribution v2 client for one registry (Docker Hub, Debian's docker-registry, any
 * distribution-compatible server). Anonymous, Basic and Bearer-token authentication, learnt from challenges.
 *
 *   const reg = new RegistryClient({ baseUrl: "https://registry-1.docker.io", credentials });
 *   await reg.pull("waltplatform/rpi-default", "latest", store, (p) => bar.update(p));
 */
import { WaltError } from "../../../src/errors.ts";
import { silentLogger, type Logger } from "../../../src/log.ts";
import { checkRepo, fetchManifest, listAll, pullScope } from "./endpoints.ts";
import { unexpected } from "./errors.ts";
import { fetchBlobBytes, pullImage, resolveImage, type PullOptions, type PullResult } from "./pull.ts";
import { pushImage, type PushOptions } from "./push.ts";
import { Transport } from "./transport.ts";
import type { BlobSink, BlobSource, Credentials, Descriptor, FetchedManifest, FetchFn, OnProgress, Platform } from "./types.ts";

export interface RegistryClientOptions {
  /** e.g. `https://registry-1.docker.io`, `http://127.0.0.1:5000` */
  baseUrl: string;
  credentials?: Credentials | undefined;
  fetch?: FetchFn | undefined;
  log?: Logger | undefined;
  /** Accept any TLS certificate (WALT's `https-no-verify` protocol). */
  insecureTls?: boolean | undefined;
  /** Deadline of non-streamed requests in ms (default 60 000). */
  timeoutMs?: number | undefined;
  /** Entries asked per page of `tags` and `catalog` (default 100, as WALT). */
  pageSize?: number | undefined;
}

export interface InspectResult {
  manifest: FetchedManifest;
  config: Descriptor;
  layers: Descriptor[];
  /** The image config JSON (labels are in `.config.Labels`). */
  configBytes: Uint8Array;
}

const noop: OnProgress = () => undefined;
/** Image configs are small JSON documents; refuse to hold anything bigger in memory. */
const MAX_CONFIG = 16 * 1024 * 1024;

export class RegistryClient {
  /** host[:port], as shown in messages. */
  readonly host: string;
  private readonly t: Transport;
  private readonly pageSize: number;

  constructor(o: RegistryClientOptions) {
    const log = (o.log ?? silentLogger).child({ registry: new URL(o.baseUrl).host });
    this.t = new Transport({ baseUrl: o.baseUrl, credentials: o.credentials, fetch: o.fetch, log, insecureTls: o.insecureTls, timeoutMs: o.timeoutMs });
    this.host = this.t.host;
    this.pageSize = o.pageSize ?? 100;
  }

  /** Check the registry answers the v2 API and accepts our credentials (anonymous access included). */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.t.send({ method: "GET", url: "/v2/", scopes: [], signal });
    if (res.status !== 200) throw await unexpected(this.host, "GET /v2/", res);
    await res.body?.cancel();
  }

  /** The manifest or index a tag or digest names, bytes as stored (their sha256 is checked). */
  manifest(repo: string, ref: string, signal?: AbortSignal): Promise<FetchedManifest> {
    return fetchManifest(this.t, repo, ref, signal);
  }

  /** Manifest and config of an image without its layers (what clone needs to read labels first). */
  async inspect(repo: string, ref: string, o: { platform?: Platform; signal?: AbortSignal } = {}): Promise<InspectResult> {
    const { manifest, parsed } = await resolveImage(this.t, repo, ref, o);
    const configBytes = await fetchBlobBytes(this.t, repo, parsed.config, MAX_CONFIG, o.signal);
    return { manifest, config: parsed.config, layers: parsed.layers, configBytes };
  }

  /** Download an image into `sink` (see pull.ts); resolves an index to `platform` (default: this machine's). */
  pull(repo: string, ref: string, sink: BlobSink, onProgress: OnProgress = noop, o: PullOptions = {}): Promise<PullResult> {
    return pullImage(this.t, repo, ref, sink, onProgress, o);
  }

  /** Upload the blobs of a manifest from `source` then the manifest under `tag` (see push.ts). */
  push(repo: string, tag: string, manifestBytes: Uint8Array, mediaType: string, source: BlobSource, onProgress: OnProgress = noop, o: PushOptions = {}): Promise<{ digest: string }> {
    return pushImage(this.t, repo, tag, manifestBytes, mediaType, source, onProgress, o);
  }

  /** Every tag of a repository, all pages. */
  tags(repo: string): Promise<string[]> {
    checkRepo(repo);
    return listAll(this.t, `/v2/${repo}/tags/list?n=${this.pageSize}`, "tags", [pullScope(repo)], () => new WaltError("NOT_FOUND", `No such image ${repo} on ${this.host}.`));
  }

  /** Every repository of the registry, all pages (registries may refuse this, Docker Hub does). */
  catalog(): Promise<string[]> {
    return listAll(this.t, `/v2/_catalog?n=${this.pageSize}`, "repositories", ["registry:catalog:*"], () => new WaltError("NOT_FOUND", `Registry ${this.host} does not list its repositories.`));
  }
}


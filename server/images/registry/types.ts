/**
 * What the registry client needs from the image store, declared here so the client does not depend on the
 * store's module (the BlobStore of store/blobs.ts satisfies both interfaces), and the value types it returns.
 */

/** Where pulled blobs go. `put` must verify `expected` and keep nothing when the stream errors or mismatches. */
export interface BlobSink {
  has(digest: string): boolean | Promise<boolean>;
  put(data: ReadableStream<Uint8Array> | Uint8Array | string, expected?: string): Promise<{ digest: string; size: number }>;
}

/** Where pushed blobs come from. */
export interface BlobSource {
  get(digest: string): ReadableStream<Uint8Array>;
  size(digest: string): number | Promise<number>;
}

export interface Credentials {
  username: string;
  password: string;
}

/** The subset of `fetch` the client uses (tests pass a fake one). */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** An OCI content descriptor (also the shape of Docker schema2 descriptors). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A manifest or index as fetched: the exact bytes (their sha256 is the digest), and its media type. */
export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: string;
}

export type ProgressPhase = "manifest" | "config" | "layer";

/** Progress of a pull or push: `bytes` of `total` transferred for one blob (a skipped blob reports total/total). */
export interface Progress {
  phase: ProgressPhase;
  digest: string;
  bytes: number;
  total: number;
}

export type OnProgress = (p: Progress) => void;

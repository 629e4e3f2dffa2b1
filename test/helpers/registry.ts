/**
 * A private OCI registry for tests: Debian's `docker-registry` (distribution 2.x) on a free loopback port, with
 * a temporary storage dir and a generated config (deletes enabled, optional htpasswd Basic auth), stopped and
 * removed on dispose. The package is required, never skipped: `apt-get install docker-registry`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import tarStream from "tar-stream";
import { tempDir } from "./tmp.ts";

export const REGISTRY_BIN = "/usr/bin/docker-registry";
const SETPRIV = "/usr/bin/setpriv";

export interface TestRegistry {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Storage directory (the registry's filesystem driver root). */
  dir: string;
  /** What the registry wrote on stderr so far (for failing tests). */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface RegistryOptions {
  auth?: { username: string; password: string };
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}

function config(dir: string, port: number, htpasswd: string | undefined): string {
  const lines = [
    "version: 0.1",
    "log:",
    "  level: warn",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "data")}`,
    "  delete:",
    "    enabled: true",
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${crypto.randomUUID()}`,
  ];
  if (htpasswd) lines.push("auth:", "  htpasswd:", "    realm: walt-test", `    path: ${htpasswd}`);
  return lines.join("\n") + "\n";
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is missing: run \`apt-get install docker-registry\` (the README's set-up command does)`);
  }
  const tmp = tempDir("walt-registry-");
  mkdirSync(join(tmp.path, "data"));
  let htpasswd: string | undefined;
  if (opts.auth) {
    // distribution checks htpasswd entries with Go's bcrypt, which accepts the $2b$ hashes Bun produces.
    const hash = await Bun.password.hash(opts.auth.password, { algorithm: "bcrypt", cost: 4 });
    htpasswd = join(tmp.path, "htpasswd");
    writeFileSync(htpasswd, `${opts.auth.username}:${hash}\n`);
  }
  // A port found free may be taken before the registry binds it: try a few.
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    const file = join(tmp.path, "config.yml");
    writeFileSync(file, config(tmp.path, port, htpasswd));
    // --pdeathsig: a test run that dies without disposing (crash, Ctrl-C) takes its registry with it.
    const argv = existsSync(SETPRIV) ? [SETPRIV, "--pdeathsig", "TERM", "--", REGISTRY_BIN, "serve", file] : [REGISTRY_BIN, "serve", file];
    const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    let err = "";
    const drain = async (s: typeof proc.stdout): Promise<void> => {
      for await (const c of s.pipeThrough(new TextDecoderStream())) err += c;
    };
    const drained = Promise.all([drain(proc.stdout), drain(proc.stderr)]).catch(() => undefined);
    const url = `http://127.0.0.1:${port}`;
    if (await answers(url, proc)) {
      return {
        url,
        dir: join(tmp.path, "data"),
        log: () => err,
        async [Symbol.asyncDispose]() {
          await stop(proc);
          await drained;
          tmp[Symbol.dispose]();
        },
      };
    }
    await stop(proc);
    await drained;
    lastError = err;
  }
  tmp[Symbol.dispose]();
  throw new Error(`docker-registry did not start: ${lastError.trim() || "no output"}`);
}

/** Wait (deadline 15 s) until `/v2/` answers anything (401 included); false when the process died. */
async function answers(url: string, proc: Bun.Subprocess): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return true;
    } catch {
      // not listening yet
    }
    await Promise.race([proc.exited, Bun.sleep(20)]);
  }
  return false;
}

/** SIGTERM, then SIGKILL when it has not exited within 5 s. */
async function stop(proc: Bun.Subprocess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
  await proc.exited;
  clearTimeout(timer);
}

/**
 * A blob directory for registry tests (`<dir>/<hex>`), with the BlobSink/BlobSource contract of the store's
 * BlobStore: put streams into a temp file while hashing and renames it only when the digest matches.
 */
export class DirBlobs {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(digest: string): string {
    return join(this.dir, digest.replace(/^sha256:/, ""));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  list(): string[] {
    return readdirSync(this.dir)
      .filter((f) => !f.startsWith("."))
      .map((f) => `sha256:${f}`)
      .sort();
  }

  async put(data: ReadableStream<Uint8Array> | Uint8Array | string, expected?: string): Promise<{ digest: string; size: number }> {
    const tmp = join(this.dir, `.tmp-${crypto.randomUUID()}`);
    const hasher = new Bun.CryptoHasher("sha256");
    const writer = Bun.file(tmp).writer();
    let size = 0;
    try {
      const stream = data instanceof ReadableStream ? data : new Blob([data]).stream();
      for await (const chunk of stream) {
        hasher.update(chunk);
        size += chunk.byteLength;
        await writer.write(chunk);
      }
      await writer.end();
      const digest = `sha256:${hasher.digest("hex")}`;
      if (expected !== undefined && digest !== expected) throw new Error(`digest mismatch: ${digest} instead of ${expected}`);
      renameSync(tmp, this.path(digest));
      return { digest, size };
    } catch (e) {
      await Promise.resolve(writer.end()).catch(() => undefined);
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  get(digest: string): ReadableStream<Uint8Array> {
    return Bun.file(this.path(digest)).stream();
  }

  size(digest: string): number {
    return statSync(this.path(digest)).size;
  }

  bytes(digest: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(digest)));
  }
}

/** In-memory blobs (a push source built in the test). */
export class MemoryBlobs {
  readonly blobs = new Map<string, Uint8Array>();

  add(bytes: Uint8Array): { digest: string; size: number } {
    const digest = `sha256:${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}`;
    this.blobs.set(digest, bytes);
    return { digest, size: bytes.byteLength };
  }

  get(digest: string): ReadableStream<Uint8Array> {
    const b = this.blobs.get(digest);
    if (!b) throw new Error(`no blob ${digest}`);
    return new Blob([b]).stream();
  }

  size(digest: string): number {
    const b = this.blobs.get(digest);
    if (!b) throw new Error(`no blob ${digest}`);
    return b.byteLength;
  }
}

export interface TestImage {
  manifest: Uint8Array;
  mediaType: string;
  digest: string;
  config: { digest: string; size: number };
  layers: { digest: string; size: number }[];
}

/**
 * A tiny OCI image built in memory: one gzip tar layer per entry of `layers` (path → content), a config with
 * the WALT label and matching diff_ids, and its OCI manifest; every blob is added to `blobs`.
 */
export async function buildTestImage(blobs: MemoryBlobs, o: { layers?: Record<string, string | Uint8Array>[]; architecture?: string; models?: string } = {}): Promise<TestImage> {
  const layerSpecs = o.layers ?? [{ "etc/walt-test": "hello\n" }];
  const layers: { digest: string; size: number }[] = [];
  const diffIds: string[] = [];
  for (const files of layerSpecs) {
    const tar = await tarOf(files);
    diffIds.push(`sha256:${new Bun.CryptoHasher("sha256").update(tar).digest("hex")}`);
    layers.push(blobs.add(new Uint8Array(gzipSync(tar))));
  }
  const configDoc = {
    architecture: o.architecture ?? "amd64",
    os: "linux",
    config: { Labels: { "walt.node.models": o.models ?? "pc-x86-64" } },
    rootfs: { type: "layers", diff_ids: diffIds },
  };
  const config = blobs.add(new TextEncoder().encode(JSON.stringify(configDoc)));
  const mediaType = "application/vnd.oci.image.manifest.v1+json";
  const manifestDoc = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...l })),
  };
  const manifest = new TextEncoder().encode(JSON.stringify(manifestDoc));
  return { manifest, mediaType, digest: `sha256:${new Bun.CryptoHasher("sha256").update(manifest).digest("hex")}`, config, layers };
}

async function tarOf(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const pack = tarStream.pack();
  const parts: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (c: unknown) => parts.push(c as Buffer));
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  for (const [name, content] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644, mtime: new Date(0) }, typeof content === "string" ? content : Buffer.from(content));
  }
  pack.finalize();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

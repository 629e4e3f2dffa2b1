/**
 * The registry client against a real registry (Debian's docker-registry on loopback): push then pull round
 * trips, chunked and resumed uploads, cross-repository mounts, pagination, platform indexes, and each failure
 * (tampered blob, 404, 401, unreachable) as one clear line.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";
import { RegistryClient } from "../../server/images/registry/client.ts";
import type { FetchFn, Progress } from "../../server/images/registry/types.ts";
import { buildTestImage, DirBlobs, MemoryBlobs, startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { tempDir } from "../helpers/tmp.ts";

let reg: TestRegistry;
const tmp = tempDir("walt-registry-test-");
let sinks = 0;
const freshSink = (): DirBlobs => new DirBlobs(join(tmp.path, `sink-${++sinks}`));

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg[Symbol.asyncDispose]();
  tmp[Symbol.dispose]();
});

interface Call {
  method: string;
  path: string;
  status: number;
  range: string | null;
}

/** A fetch that records calls and lets a test intercept them. */
function recorder(intercept?: (url: string, init: RequestInit, real: FetchFn) => Promise<Response> | undefined): { fetch: FetchFn; calls: Call[] } {
  const calls: Call[] = [];
  const real: FetchFn = (url, init) => fetch(url, init);
  return {
    calls,
    fetch: async (url, init) => {
      const res = await (intercept?.(url, init, real) ?? real(url, init));
      const headers = (init.headers ?? {}) as Record<string, string>;
      calls.push({ method: init.method ?? "GET", path: new URL(url).pathname, status: res.status, range: headers["content-range"] ?? null });
      return res;
    },
  };
}

async function caught(p: Promise<unknown>): Promise<WaltError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WaltError);
    return e as WaltError;
  }
  throw new Error("expected a WaltError");
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

describe("push and pull", () => {
  test("push then pull into a fresh store gives the same digests and bytes", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "etc/a": "one\n" }, { "etc/b": "two\n", "usr/bin/x": "#!/bin/sh\n" }] });
    const client = new RegistryClient({ baseUrl: reg.url });
    const pushed: Progress[] = [];
    const { digest } = await client.push("walt/roundtrip", "v1", img.manifest, img.mediaType, src, (p) => pushed.push(p));
    expect(digest).toBe(img.digest);
    expect(new Set(pushed.map((p) => p.phase))).toEqual(new Set(["config", "layer", "manifest"]));

    const sink = freshSink();
    const pulled: Progress[] = [];
    const r = await client.pull("walt/roundtrip", "v1", sink, (p) => pulled.push(p));
    expect(r.manifest.digest).toBe(img.digest);
    expect(r.manifest.mediaType).toBe(img.mediaType);
    expect(r.config.digest).toBe(img.config.digest);
    expect(r.layers.map((l) => l.digest)).toEqual(img.layers.map((l) => l.digest));
    expect(sink.list()).toEqual([img.digest, img.config.digest, ...img.layers.map((l) => l.digest)].sort());
    for (const [d, bytes] of src.blobs) expect(sink.bytes(d)).toEqual(bytes);
    expect(sink.bytes(img.digest)).toEqual(img.manifest);
    const last = new Map(pulled.map((p) => [p.digest, p]));
    for (const p of last.values()) expect(p.bytes).toBe(p.total);

    // by digest too, and the tag list knows it
    expect((await client.manifest("walt/roundtrip", img.digest)).digest).toBe(img.digest);
    expect(await client.tags("walt/roundtrip")).toEqual(["v1"]);
  });

  test("a second pull skips the blobs the store already has", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "etc/skip": "x\n" }] });
    const rec = recorder();
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch });
    await client.push("walt/skip", "latest", img.manifest, img.mediaType, src);
    const sink = freshSink();
    await client.pull("walt/skip", "latest", sink);
    rec.calls.length = 0;
    const progress: Progress[] = [];
    await client.pull("walt/skip", "latest", sink, (p) => progress.push(p));
    expect(rec.calls.filter((c) => c.path.includes("/blobs/"))).toEqual([]);
    expect(progress.filter((p) => p.phase !== "manifest").every((p) => p.bytes === p.total)).toBe(true);
  });

  test("inspect reads the config (labels) without the layers", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { models: "rpi-b,pc-x86-64" });
    const rec = recorder();
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch });
    await client.push("walt/inspect", "latest", img.manifest, img.mediaType, src);
    rec.calls.length = 0;
    const r = await client.inspect("walt/inspect", "latest");
    const config = JSON.parse(new TextDecoder().decode(r.configBytes)) as { config: { Labels: Record<string, string> } };
    expect(config.config.Labels["walt.node.models"]).toBe("rpi-b,pc-x86-64");
    expect(rec.calls.filter((c) => c.path.includes("/blobs/")).map((c) => c.path)).toEqual([`/v2/walt/inspect/blobs/${img.config.digest}`]);
  });
});

describe("uploads", () => {
  test("a multi-MB blob goes up in contiguous chunks and comes back identical", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "data.bin": randomBytes(5 * 1024 * 1024 + 123) }] });
    const layer = img.layers[0] as { digest: string; size: number };
    expect(layer.size).toBeGreaterThan(5 * 1024 * 1024);
    const rec = recorder();
    const chunk = 1024 * 1024;
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch });
    await client.push("walt/big", "latest", img.manifest, img.mediaType, src, undefined, { chunkSize: chunk });
    const configRange = `0-${img.config.size - 1}`;
    const ranges = rec.calls.filter((c) => c.method === "PATCH" && c.range !== configRange).map((c) => c.range);
    const expected: string[] = [];
    for (let at = 0; at < layer.size; at += chunk) expected.push(`${at}-${Math.min(at + chunk, layer.size) - 1}`);
    expect(ranges).toEqual(expected);

    const sink = freshSink();
    await client.pull("walt/big", "latest", sink);
    expect(sink.bytes(layer.digest)).toEqual(src.blobs.get(layer.digest) as Uint8Array);
  });

  test("an upload resumes after connections drop before and after the registry got a chunk", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "data.bin": randomBytes(3 * 1024 * 1024) }] });
    const layer = img.layers[0] as { digest: string; size: number };
    let patches = 0;
    const reset = (): Error => Object.assign(new TypeError("socket closed"), { code: "ECONNRESET" });
    const rec = recorder((url, init, real) => {
      if (init.method !== "PATCH" || (init.body as Uint8Array).byteLength < 1000) return undefined;
      patches++;
      if (patches === 2) return Promise.reject(reset()); // lost before reaching the registry
      if (patches === 4) return real(url, init).then(() => Promise.reject(reset())); // registry has it, answer lost
      return undefined;
    });
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch });
    await client.push("walt/resume", "latest", img.manifest, img.mediaType, src, undefined, { chunkSize: 1024 * 1024, concurrency: 1 });
    // first drop: resumed in the same session; second: distribution dropped the session, the blob went again
    expect(rec.calls.filter((c) => c.method === "GET" && c.path.includes("/blobs/uploads/")).map((c) => c.status)).toEqual([204, 404]);
    expect(rec.calls.filter((c) => c.method === "POST").length).toBe(3);
    const sink = freshSink();
    await client.pull("walt/resume", "latest", sink);
    expect(sink.bytes(layer.digest)).toEqual(src.blobs.get(layer.digest) as Uint8Array);
  });

  test("blobs already in the repository are not sent again; others are mounted from another repository", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "etc/mount": "m\n" }] });
    const rec = recorder();
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch });
    await client.push("walt/mount-base", "latest", img.manifest, img.mediaType, src);
    rec.calls.length = 0;
    await client.push("walt/mount-base", "again", img.manifest, img.mediaType, src);
    expect(rec.calls.map((c) => c.method)).toEqual(["HEAD", "HEAD", "PUT"]);
    rec.calls.length = 0;
    await client.push("walt/mount-derived", "latest", img.manifest, img.mediaType, src, undefined, { mountFrom: "walt/mount-base" });
    expect(rec.calls.filter((c) => c.method === "PATCH")).toEqual([]);
    expect(rec.calls.filter((c) => c.method === "POST").map((c) => c.status)).toEqual([201, 201]);
    expect((await client.manifest("walt/mount-derived", "latest")).digest).toBe(img.digest);
  });
});

describe("listing", () => {
  test("catalog and tags follow Link pagination", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "etc/list": "l\n" }] });
    const rec = recorder();
    const client = new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch, pageSize: 2 });
    for (const tag of ["t1", "t2", "t3", "t4", "t5"]) await client.push("walt/list-a", tag, img.manifest, img.mediaType, src);
    for (const repo of ["walt/list-b", "walt/list-c", "walt/list-d"]) await client.push(repo, "latest", img.manifest, img.mediaType, src);
    rec.calls.length = 0;
    const repos = await client.catalog();
    expect(repos).toEqual(expect.arrayContaining(["walt/list-a", "walt/list-b", "walt/list-c", "walt/list-d"]));
    expect(new Set(repos).size).toBe(repos.length);
    expect(rec.calls.filter((c) => c.path === "/v2/_catalog").length).toBeGreaterThanOrEqual(Math.ceil(repos.length / 2));
    // distribution 2.8 answers tags in one page whatever n is; the client reads every page either way
    expect((await client.tags("walt/list-a")).sort()).toEqual(["t1", "t2", "t3", "t4", "t5"]);
  });
});

describe("platform indexes", () => {
  test("pull resolves an OCI index to the requested platform", async () => {
    const src = new MemoryBlobs();
    const amd = await buildTestImage(src, { architecture: "amd64", layers: [{ "etc/arch": "amd64\n" }] });
    const arm = await buildTestImage(src, { architecture: "arm64", layers: [{ "etc/arch": "arm64\n" }] });
    const client = new RegistryClient({ baseUrl: reg.url });
    await client.push("walt/multi", "amd64", amd.manifest, amd.mediaType, src);
    await client.push("walt/multi", "arm64", arm.manifest, arm.mediaType, src);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        { mediaType: amd.mediaType, digest: amd.digest, size: amd.manifest.byteLength, platform: { os: "linux", architecture: "amd64" } },
        { mediaType: arm.mediaType, digest: arm.digest, size: arm.manifest.byteLength, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
      ],
    });
    const put = await fetch(`${reg.url}/v2/walt/multi/manifests/latest`, { method: "PUT", headers: { "content-type": "application/vnd.oci.image.index.v1+json" }, body: index });
    expect(put.status).toBe(201);

    const sink = freshSink();
    const r = await client.pull("walt/multi", "latest", sink, undefined, { platform: { os: "linux", architecture: "arm64" } });
    expect(r.manifest.digest).toBe(arm.digest);
    expect(r.index?.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(sink.has(arm.layers[0]?.digest as string)).toBe(true);
    expect(sink.has(amd.layers[0]?.digest as string)).toBe(false);

    const e = await caught(client.pull("walt/multi", "latest", freshSink(), undefined, { platform: { os: "linux", architecture: "riscv64" } }));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toBe(`Image walt/multi:latest on ${new URL(reg.url).host} has no variant for linux/riscv64.`);
  });
});

describe("failures, one line each", () => {
  test("a blob that does not match its digest is rejected and nothing is kept", async () => {
    const src = new MemoryBlobs();
    const img = await buildTestImage(src, { layers: [{ "etc/tamper": "original content\n" }] });
    await new RegistryClient({ baseUrl: reg.url }).push("walt/tamper", "latest", img.manifest, img.mediaType, src);
    const layer = img.layers[0] as { digest: string; size: number };
    const rec = recorder((url, init, real) => {
      if (!url.endsWith(`/blobs/${layer.digest}`)) return undefined;
      return real(url, init).then(async (res) => {
        const bytes = new Uint8Array(await res.arrayBuffer());
        bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff; // same size, different content
        return new Response(bytes, { status: res.status, headers: res.headers });
      });
    });
    const sink = freshSink();
    const e = await caught(new RegistryClient({ baseUrl: reg.url, fetch: rec.fetch }).pull("walt/tamper", "latest", sink));
    expect(e.code).toBe("EXTERNAL");
    expect(e.message).toMatch(new RegExp(`^Registry ${new URL(reg.url).host} sent corrupted data for ${layer.digest} \\(its sha256 is sha256:[0-9a-f]{64}\\)\\.$`));
    expect(sink.has(layer.digest)).toBe(false);
    expect(sink.has(img.digest)).toBe(false); // no manifest: the image is not there
    expect(readdirSync(sink.dir).filter((f) => f.startsWith(".tmp"))).toEqual([]);
  });

  test("an unknown image is NOT_FOUND", async () => {
    const client = new RegistryClient({ baseUrl: reg.url });
    const host = new URL(reg.url).host;
    const e = await caught(client.pull("walt/nothing-here", "nope", freshSink()));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toBe(`No such image walt/nothing-here:nope on ${host}.`);
    const d = `sha256:${"0".repeat(64)}`;
    expect((await caught(client.manifest("walt/nothing-here", d))).message).toBe(`No such image walt/nothing-here@${d} on ${host}.`);
    expect((await caught(client.tags("walt/nothing-here"))).message).toBe(`No such image walt/nothing-here on ${host}.`);
  });

  test("wrong or missing credentials are UNAUTHORIZED; right ones work", async () => {
    await using authed = await startRegistry({ auth: { username: "walt", password: "s3cret" } });
    const host = new URL(authed.url).host;
    const wrong = new RegistryClient({ baseUrl: authed.url, credentials: { username: "walt", password: "nope" } });
    for (const call of [() => wrong.ping(), () => wrong.pull("walt/x", "latest", freshSink())]) {
      const e = await caught(call());
      expect(e.code).toBe("UNAUTHORIZED");
      expect(e.message).toBe(`Registry ${host} refused the credentials (HTTP 401).`);
      expect(e.hint).toContain("username and password");
    }
    const anonymous = await caught(new RegistryClient({ baseUrl: authed.url }).ping());
    expect(anonymous.code).toBe("UNAUTHORIZED");
    expect(anonymous.message).toBe(`Registry ${host} requires credentials (HTTP 401).`);

    const src = new MemoryBlobs();
    const img = await buildTestImage(src);
    const good = new RegistryClient({ baseUrl: authed.url, credentials: { username: "walt", password: "s3cret" } });
    await good.ping();
    await good.push("walt/authed", "latest", img.manifest, img.mediaType, src);
    expect((await good.pull("walt/authed", "latest", freshSink())).manifest.digest).toBe(img.digest);
  });

  test("an unreachable registry is UNAVAILABLE", async () => {
    const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = s.port;
    s.stop(true);
    const e = await caught(new RegistryClient({ baseUrl: `http://127.0.0.1:${port}` }).pull("walt/x", "latest", freshSink()));
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.message).toBe(`Cannot reach registry 127.0.0.1:${port}: connection refused.`);
  });
});

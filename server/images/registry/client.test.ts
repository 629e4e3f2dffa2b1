/**
 * RegistryClient against a scripted fake registry (no network): the Docker Hub token flow, Basic auth,
 * redirects to another origin, pagination, and the one-line errors. The real-registry round trips are in
 * test/proto/registry-client.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { WaltError } from "../../../src/errors.ts";
import { RegistryClient } from "./client.ts";
import { sha256 } from "./digest.ts";
import { MEDIA } from "./manifest.ts";
import type { BlobSink, FetchFn } from "./types.ts";

interface Seen {
  method: string;
  url: URL;
  auth: string | undefined;
}

type Route = (req: Seen, init: RequestInit) => Response | Promise<Response> | undefined;

function fake(...routes: Route[]): { fetch: FetchFn; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      const headers = (init.headers ?? {}) as Record<string, string>;
      const req: Seen = { method: init.method ?? "GET", url: new URL(url), auth: headers["authorization"] };
      seen.push(req);
      for (const r of routes) {
        const res = await r(req, init);
        if (res) return res;
      }
      return Response.json({ errors: [{ code: "NOT_FOUND", message: "no route" }] }, { status: 404 });
    },
  };
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const LAYER = enc("layer bytes");
const CONFIG = enc('{"architecture":"amd64","os":"linux","config":{"Labels":{"walt.node.models":"rpi-b"}}}');
const MANIFEST = enc(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.dockerManifest,
    config: { mediaType: MEDIA.dockerConfig, digest: sha256(CONFIG), size: CONFIG.byteLength },
    layers: [{ mediaType: MEDIA.dockerLayerGzip, digest: sha256(LAYER), size: LAYER.byteLength }],
  }),
);

function memorySink(): BlobSink & { blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    has: (d) => blobs.has(d),
    async put(data, expected) {
      const bytes = data instanceof ReadableStream ? new Uint8Array(await new Response(data).arrayBuffer()) : typeof data === "string" ? enc(data) : data;
      const digest = sha256(bytes);
      if (expected !== undefined && digest !== expected) throw new Error("mismatch");
      blobs.set(digest, bytes);
      return { digest, size: bytes.byteLength };
    },
  };
}

/** Docker Hub's shape: a registry answering 401 + Bearer challenge, and a token service on another host. */
function hub(o: { user?: string; password?: string } = {}): Route[] {
  const challenge = (scope: string): Response =>
    new Response(null, {
      status: 401,
      headers: { "www-authenticate": `Bearer realm="https://auth.example/token",service="registry.example",scope="${scope}"` },
    });
  const token: Route = (req) => {
    if (req.url.host !== "auth.example") return undefined;
    if (o.user !== undefined && req.auth !== `Basic ${btoa(`${o.user}:${o.password ?? ""}`)}`) return new Response("{}", { status: 401 });
    return Response.json({ token: `tok:${req.url.searchParams.getAll("scope").join(" ")}`, expires_in: 300 });
  };
  const registry: Route = (req) => {
    if (req.url.host !== "registry.example") return undefined;
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(req.url.pathname);
    const scope = m ? `repository:${m[1]}:pull` : "";
    if (!req.auth?.startsWith("Bearer ") || (scope && !req.auth.includes(scope))) return challenge(scope);
    if (req.url.pathname === "/v2/") return Response.json({});
    if (m?.[2] === "manifests") return new Response(MANIFEST, { headers: { "content-type": MEDIA.dockerManifest, "docker-content-digest": sha256(MANIFEST) } });
    if (m?.[3] === sha256(CONFIG)) return new Response(CONFIG);
    // layers live on a CDN, as Docker Hub's do
    if (m?.[3] === sha256(LAYER)) return new Response(null, { status: 307, headers: { location: "https://cdn.example/blob?sig=1" } });
    return undefined;
  };
  const cdn: Route = (req) => (req.url.host === "cdn.example" ? new Response(LAYER) : undefined);
  return [token, registry, cdn];
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

describe("bearer token flow (Docker Hub compatible)", () => {
  test("challenge, token with credentials, retry, then the cached token is reused", async () => {
    const f = fake(...hub({ user: "bob", password: "pw" }));
    const client = new RegistryClient({ baseUrl: "https://registry.example", credentials: { username: "bob", password: "pw" }, fetch: f.fetch });
    const m = await client.manifest("bob/img", "latest");
    expect(m.digest).toBe(sha256(MANIFEST));
    expect(m.mediaType).toBe(MEDIA.dockerManifest);
    const tokenReq = f.seen.find((s) => s.url.host === "auth.example");
    expect(tokenReq?.url.searchParams.get("service")).toBe("registry.example");
    expect(tokenReq?.url.searchParams.getAll("scope")).toEqual(["repository:bob/img:pull"]);
    expect(tokenReq?.url.searchParams.get("account")).toBe("bob");
    expect(f.seen.map((s) => s.url.host)).toEqual(["registry.example", "auth.example", "registry.example"]);
    f.seen.length = 0;
    await client.manifest("bob/img", "v2");
    expect(f.seen.map((s) => s.url.host)).toEqual(["registry.example"]);
  });

  test("anonymous token requests carry no credentials", async () => {
    const f = fake(...hub());
    await new RegistryClient({ baseUrl: "https://registry.example", fetch: f.fetch }).manifest("library/debian", "latest");
    const tokenReq = f.seen.find((s) => s.url.host === "auth.example");
    expect(tokenReq?.auth).toBeUndefined();
    expect(tokenReq?.url.searchParams.has("account")).toBe(false);
  });

  test("pull follows the CDN redirect without leaking the token, and verifies the blob", async () => {
    const f = fake(...hub());
    const sink = memorySink();
    const progress: string[] = [];
    const r = await new RegistryClient({ baseUrl: "https://registry.example", fetch: f.fetch }).pull("library/debian", "latest", sink, (p) => progress.push(`${p.phase}:${p.bytes}/${p.total}`));
    expect(r.layers.map((l) => l.digest)).toEqual([sha256(LAYER)]);
    expect([...sink.blobs.keys()].sort()).toEqual([sha256(CONFIG), sha256(LAYER), sha256(MANIFEST)].sort());
    const cdn = f.seen.find((s) => s.url.host === "cdn.example");
    expect(cdn?.auth).toBeUndefined();
    expect(progress).toContain(`layer:${LAYER.byteLength}/${LAYER.byteLength}`);
  });

  test("a refused token request is UNAUTHORIZED, one line with a hint", async () => {
    const f = fake(...hub({ user: "bob", password: "pw" }));
    const e = await caught(new RegistryClient({ baseUrl: "https://registry.example", credentials: { username: "bob", password: "bad" }, fetch: f.fetch }).ping());
    expect(e.code).toBe("UNAUTHORIZED");
    expect(e.message).toBe("Registry registry.example refused the credentials (HTTP 401).");
    expect(e.hint).toBeDefined();
  });
});

describe("basic auth and statuses", () => {
  const basic: Route = (req) =>
    req.auth === `Basic ${btoa("u:p")}` ? (req.url.pathname === "/v2/" ? Response.json({}) : undefined) : new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="r"' } });

  test("Basic challenge: credentials sent on the retry, then on every request", async () => {
    const f = fake(basic);
    const client = new RegistryClient({ baseUrl: "http://reg.test:5000", credentials: { username: "u", password: "p" }, fetch: f.fetch });
    await client.ping();
    await client.ping();
    expect(f.seen.map((s) => s.auth === undefined)).toEqual([true, false, false]);
  });

  test("403 is UNAUTHORIZED too", async () => {
    const f = fake(() => new Response(null, { status: 403 }));
    expect((await caught(new RegistryClient({ baseUrl: "http://reg.test", credentials: { username: "u", password: "p" }, fetch: f.fetch }).ping())).message).toBe(
      "Registry reg.test refused the credentials (HTTP 403).",
    );
  });

  test("other statuses give the registry's own error in one line", async () => {
    const f = fake(() => Response.json({ errors: [{ code: "UNKNOWN", message: "disk\nfull" }] }, { status: 500 }));
    const e = await caught(new RegistryClient({ baseUrl: "http://reg.test", fetch: f.fetch }).manifest("a/b", "latest"));
    expect(e.code).toBe("EXTERNAL");
    expect(e.message).toBe("Registry reg.test answered HTTP 500 to GET manifest a/b: UNKNOWN disk full.");
  });

  test("a tag whose content does not match the announced digest is refused", async () => {
    const f = fake(() => new Response(MANIFEST, { headers: { "content-type": MEDIA.dockerManifest, "docker-content-digest": sha256("other") } }));
    const e = await caught(new RegistryClient({ baseUrl: "http://reg.test", fetch: f.fetch }).manifest("a/b", "latest"));
    expect(e.message).toBe(`Registry reg.test sent corrupted data for ${sha256("other")} (its sha256 is ${sha256(MANIFEST)}).`);
  });

  test("no answer in time is UNAVAILABLE", async () => {
    const f: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason as Error));
      });
    const e = await caught(new RegistryClient({ baseUrl: "http://reg.test", fetch: f, timeoutMs: 20 }).ping());
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.message).toBe("Cannot reach registry reg.test: no answer in time.");
  });

  test("invalid names never reach a URL", async () => {
    const client = new RegistryClient({ baseUrl: "http://reg.test", fetch: fake().fetch });
    expect((await caught(client.manifest("../x", "latest"))).message).toBe('Invalid repository name "../x".');
    expect((await caught(client.manifest("a/b", "bad/tag"))).message).toBe('Invalid image tag "bad/tag".');
  });
});

describe("pagination", () => {
  test("tags follow Link headers page after page", async () => {
    const pages: Record<string, { tags: string[]; next?: string }> = {
      "": { tags: ["a", "b"], next: "/v2/x/tags/list?n=2&last=b" },
      b: { tags: ["c", "d"], next: "/v2/x/tags/list?n=2&last=d" },
      d: { tags: ["e"] },
    };
    const f = fake((req) => {
      const page = pages[req.url.searchParams.get("last") ?? ""];
      if (!page) return undefined;
      return Response.json({ name: "x", tags: page.tags }, { headers: page.next ? { link: `<${page.next}>; rel="next"` } : {} });
    });
    expect(await new RegistryClient({ baseUrl: "http://reg.test", fetch: f.fetch, pageSize: 2 }).tags("x")).toEqual(["a", "b", "c", "d", "e"]);
    expect(f.seen.map((s) => s.url.search)).toEqual(["?n=2", "?n=2&last=b", "?n=2&last=d"]);
  });
});

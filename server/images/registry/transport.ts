/**
 * One registry request: authorization (retried once after a 401 challenge), redirects followed by hand so the
 * Authorization header never leaks to another origin (blob downloads redirect to CDNs / object stores), network
 * failures and refusals turned into one-line WaltErrors. Other statuses are the caller's to interpret.
 */
import type { Logger } from "../../../src/log.ts";
import { Authenticator } from "./auth.ts";
import { refused, unreachable } from "./errors.ts";
import type { Credentials, FetchFn } from "./types.ts";

export interface TransportOptions {
  baseUrl: string;
  credentials?: Credentials | undefined;
  fetch?: FetchFn | undefined;
  log: Logger;
  /** Accept any TLS certificate (WALT's `https-no-verify` registries). */
  insecureTls?: boolean | undefined;
  /** Deadline of requests whose body is not streamed (default 60 s). */
  timeoutMs?: number | undefined;
}

export interface RegistryRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A path under the registry (`/v2/...`) or an absolute URL (upload locations, pagination links). */
  url: string;
  /** Token scopes the request needs, e.g. `repository:a/b:pull`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  /** Replayable bodies only: a request may be sent twice (challenge) or more (redirects). */
  body?: Uint8Array | string;
  /** The caller streams the response body: no deadline, only `signal`. */
  streamed?: boolean;
  signal?: AbortSignal | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export class Transport {
  readonly host: string;
  readonly base: URL;
  private readonly auth: Authenticator;
  private readonly fetch: FetchFn;
  private readonly init: RequestInit;

  constructor(private readonly o: TransportOptions) {
    this.base = new URL(o.baseUrl);
    this.host = this.base.host;
    this.fetch = o.fetch ?? ((url, init) => fetch(url, init));
    this.init = o.insecureTls ? ({ tls: { rejectUnauthorized: false } } as RequestInit) : {};
    this.auth = new Authenticator({ host: this.host, credentials: o.credentials, fetch: this.fetch, log: o.log, init: this.init });
  }

  /** Absolute URL of a registry path or of a (possibly relative) Location. */
  resolve(url: string, against: string | URL = this.base): string {
    return new URL(url, against).toString();
  }

  async send(req: RegistryRequest): Promise<Response> {
    let answered = false;
    for (;;) {
      const authorization = this.auth.header(req.scopes);
      const { res, sameOrigin } = await this.follow(req, authorization);
      if (res.status === 401 && sameOrigin && !answered) {
        answered = true;
        const challenge = res.headers.get("www-authenticate");
        await res.body?.cancel();
        if (await this.auth.answer(challenge, req.scopes, req.signal)) continue;
        throw refused(this.host, 401, this.auth.hasCredentials);
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw refused(this.host, res.status, this.auth.hasCredentials);
      }
      return res;
    }
  }

  private async follow(req: RegistryRequest, authorization: string | undefined): Promise<{ res: Response; sameOrigin: boolean }> {
    let url = new URL(req.url, this.base);
    const method = req.method;
    const body = req.body;
    const signal = req.streamed ? req.signal : combine(req.signal, AbortSignal.timeout(this.o.timeoutMs ?? 60_000));
    for (let hop = 0; ; hop++) {
      const sameOrigin = url.origin === this.base.origin;
      const headers: Record<string, string> = { ...req.headers };
      // Credentials are for the registry only, never for the storage a blob redirect points to.
      if (authorization && sameOrigin) headers["authorization"] = authorization;
      let res: Response;
      try {
        res = await this.fetch(url.toString(), { ...this.init, method, headers, redirect: "manual", ...(body === undefined ? {} : { body }), ...(signal ? { signal } : {}) });
      } catch (e) {
        if (req.signal?.aborted) throw e;
        throw unreachable(sameOrigin ? this.host : url.host, e);
      }
      this.o.log.debug("registry request", { method, url: url.pathname, status: res.status });
      const location = res.headers.get("location");
      // Reads follow any redirect; writes only 307/308, which keep the method and body (RFC 9110).
      const follows = REDIRECTS.has(res.status) && location !== null && (method === "GET" || method === "HEAD" || res.status === 307 || res.status === 308);
      if (!follows) return { res, sameOrigin };
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw unreachable(this.host, new Error(`more than ${MAX_REDIRECTS} redirects`));
      url = new URL(location, url);
    }
  }
}

function combine(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

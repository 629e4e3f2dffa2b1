/**
 * Registry authentication, learnt from the registry's 401 challenges (Docker registry v2 token auth):
 * - `Basic realm=...`: send the credentials on every request from then on;
 * - `Bearer realm=...,service=...,scope=...`: get a token from the realm (with the credentials as Basic auth
 *   when given, anonymously otherwise — Docker Hub hands anonymous pull tokens) and cache it per scope set.
 */
import { WaltError } from "../../../src/errors.ts";
import type { Logger } from "../../../src/log.ts";
import { refused, unexpected, unreachable } from "./errors.ts";
import type { Credentials, FetchFn } from "./types.ts";
import { parseWwwAuthenticate } from "./www-authenticate.ts";

export interface AuthOptions {
  host: string;
  credentials: Credentials | undefined;
  fetch: FetchFn;
  log: Logger;
  /** Extra fetch options (TLS settings). */
  init: RequestInit;
  now?: () => number;
}

interface Token {
  value: string;
  expiresAt: number;
}

export class Authenticator {
  private basic = false;
  private readonly tokens = new Map<string, Token>();
  private readonly now: () => number;

  constructor(private readonly o: AuthOptions) {
    this.now = o.now ?? Date.now;
  }

  get hasCredentials(): boolean {
    return this.o.credentials !== undefined;
  }

  /** The Authorization header for a request needing `scopes`, when we know one. */
  header(scopes: readonly string[]): string | undefined {
    if (this.basic && this.o.credentials) return basicHeader(this.o.credentials);
    const t = this.tokens.get(scopes.join(" "));
    if (t && t.expiresAt > this.now()) return `Bearer ${t.value}`;
    return undefined;
  }

  /** Answer a 401: true when the request should be retried with the new authorization. */
  async answer(wwwAuthenticate: string | null, scopes: readonly string[], signal: AbortSignal | undefined): Promise<boolean> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate ?? "");
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params["realm"]);
    if (bearer) {
      const wanted = new Set([...scopes, ...(bearer.params["scope"] ?? "").split(" ").filter(Boolean)]);
      const token = await this.fetchToken(bearer.params["realm"] as string, bearer.params["service"], [...wanted], signal);
      this.tokens.set(scopes.join(" "), token);
      return true;
    }
    if (challenges.some((c) => c.scheme === "basic") && this.o.credentials && !this.basic) {
      this.basic = true;
      return true;
    }
    return false;
  }

  private async fetchToken(realm: string, service: string | undefined, scopes: string[], signal: AbortSignal | undefined): Promise<Token> {
    const url = new URL(realm);
    if (service) url.searchParams.set("service", service);
    for (const s of scopes) url.searchParams.append("scope", s);
    const headers: Record<string, string> = {};
    const creds = this.o.credentials;
    if (creds) {
      url.searchParams.set("account", creds.username);
      headers["authorization"] = basicHeader(creds);
    }
    let res: Response;
    try {
      res = await this.o.fetch(url.toString(), { ...this.o.init, method: "GET", headers, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw unreachable(url.host, e);
    }
    this.o.log.debug("registry token", { realm: url.origin + url.pathname, scopes: scopes.join(" "), status: res.status });
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw refused(this.o.host, res.status, creds !== undefined);
    }
    if (!res.ok) throw await unexpected(this.o.host, `a token request to ${url.host}`, res);
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const value = typeof body.token === "string" ? body.token : body.access_token;
    if (typeof value !== "string" || value === "") throw new WaltError("EXTERNAL", `Registry ${this.o.host}: the token service ${url.host} answered without a token.`);
    // The spec's default lifetime is 60 s; renew a little early so a token does not expire in flight.
    const seconds = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 60;
    return { value, expiresAt: this.now() + Math.max(seconds - 10, seconds / 2) * 1000 };
  }
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

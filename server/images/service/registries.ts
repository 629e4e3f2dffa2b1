/**
 * The configured registries (server config `registries`, WALT §4.6) as RegistryClients, with the user's
 * credentials (sent by the client from its config) when the registry uses basic auth, and the hints that
 * tell a user where those credentials go.
 */
import { WaltError, usageError } from "../../../src/errors.ts";
import type { Logger } from "../../../src/log.ts";
import type { RegistryCredentials } from "../../../src/api/images.ts";
import type { RegistryConfig } from "../../config/config.ts";
import { DOCKER_HUB_HOST, RegistryClient, registryBaseUrl, type Credentials, type FetchFn } from "../registry/index.ts";

export interface RegistryDeps {
  registries: readonly RegistryConfig[];
  credentials: RegistryCredentials;
  log: Logger;
  /** Replaces global fetch (tests). */
  fetch?: FetchFn | undefined;
}

/** Base URL of a registry's distribution API. */
export function registryUrl(r: RegistryConfig): string {
  if (r.api === "docker-hub") return registryBaseUrl(DOCKER_HUB_HOST);
  const host = r.host?.includes(":") === true && !r.host.startsWith("[") ? `[${r.host}]` : (r.host ?? "");
  return `${r.protocol === "http" ? "http" : "https"}://${host}:${r.port}`;
}

export function findRegistry(registries: readonly RegistryConfig[], label: string): RegistryConfig | undefined {
  return registries.find((r) => r.label === label);
}

/** The user's credentials for `r`, only when `r` uses basic auth. */
export function credentialsFor(r: RegistryConfig, credentials: RegistryCredentials): Credentials | undefined {
  return r.auth === "basic" ? credentials[r.label] : undefined;
}

export function registryClient(r: RegistryConfig, d: RegistryDeps): RegistryClient {
  return new RegistryClient({ baseUrl: registryUrl(r), credentials: credentialsFor(r, d.credentials), fetch: d.fetch, log: d.log, insecureTls: r.protocol === "https-no-verify" });
}

const CREDENTIALS_HINT = (label: string): string =>
  `set registries.${label}.username and registries.${label}.password in your walt client config (see: walt help show registries)`;

/** Registry refusals get a hint naming where the user's credentials for that registry go. */
export function withCredentialsHint(label: string, e: unknown): unknown {
  if (e instanceof WaltError && e.code === "UNAUTHORIZED") return new WaltError("UNAUTHORIZED", e.message, { hint: CREDENTIALS_HINT(label), cause: e });
  return e;
}

/** A basic-auth registry the user has no credentials for (WALT would prompt for them). */
export function missingCredentials(label: string): WaltError {
  return usageError(`Credentials for access to "${label}" registry are missing.`, CREDENTIALS_HINT(label));
}

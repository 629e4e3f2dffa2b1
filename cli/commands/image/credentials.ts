/**
 * The user's registry credentials, kept in the client config as WALT does (`registries.<label>.username` and
 * `.password`), sent along with clone, search, publish and default image updates: the registries that use
 * basic auth act on behalf of the user, with the user's own account.
 */
import { existsSync, readFileSync } from "node:fs";
import type { RegistryCredentials } from "../../../src/api/images.ts";
import { configPath } from "../../config.ts";
import type { Io } from "../../ui/io.ts";

/** Credentials per registry label; entries without both a username and a password are ignored. */
export function registryCredentials(io: Io): RegistryCredentials {
  const path = configPath(io.env);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = Bun.YAML.parse(readFileSync(path, "utf8"));
  } catch {
    return {}; // reported by the config loader already
  }
  const registries = (raw as { registries?: unknown } | null)?.registries;
  if (typeof registries !== "object" || registries === null) return {};
  const out: RegistryCredentials = {};
  for (const [label, v] of Object.entries(registries)) {
    const { username, password } = (v ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username === "string" && typeof password === "string") out[label] = { username, password };
    else if (typeof username === "string" && typeof password === "number") out[label] = { username, password: String(password) };
  }
  return out;
}

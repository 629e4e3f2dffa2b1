/**
 * The client configuration (WALT's walt.conf): server address, user name and the token the server
 * issued at first contact. `WALT_CONFIG` overrides the path; `WALT_SERVER` overrides the server.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { homedir } from "node:os";
import { WaltError } from "../src/errors.ts";

export interface ClientConfig {
  server: string;
  username: string;
  token: string;
}

export function configPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env["WALT_CONFIG"]) return env["WALT_CONFIG"];
  const base = env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config");
  return join(base, "walt", "config");
}

/**
 * `host`, `host:port` or a URL → base URL (port 80 by default, as WALT's web server). `unix:<path>` (the server's
 * `<data-dir>/walt.sock`) is kept as is: the client then talks HTTP over that socket.
 */
export function serverUrl(server: string): string {
  const s = server.trim().replace(/\/+$/, "");
  if (s.startsWith("unix:")) return s;
  return /^https?:\/\//.test(s) ? s : `http://${s}`;
}

/** Read the config; undefined when the file does not exist. */
export function loadConfig(path: string, env: Readonly<Record<string, string | undefined>>): Partial<ClientConfig> | undefined {
  if (!existsSync(path)) return env["WALT_SERVER"] ? { server: env["WALT_SERVER"] } : undefined;
  let raw: unknown;
  try {
    raw = Bun.YAML.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new WaltError("USAGE", `Cannot parse the client config ${path}: ${e instanceof Error ? e.message : String(e)}`, { hint: `fix or remove ${path}` });
  }
  const o = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof o[k] === "string" ? (o[k] as string) : o[k] === undefined ? undefined : String(o[k]));
  const cfg: Partial<ClientConfig> = {};
  const server = env["WALT_SERVER"] ?? str("server");
  if (server !== undefined) cfg.server = server;
  const username = str("username");
  if (username !== undefined) cfg.username = username;
  const token = str("token");
  if (token !== undefined) cfg.token = token;
  return cfg;
}

/** Write the config with mode 0600 (it holds a token). */
export function saveConfig(path: string, cfg: ClientConfig): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = ["# walt client configuration (see: walt help show client-config)", `server: ${JSON.stringify(cfg.server)}`, `username: ${JSON.stringify(cfg.username)}`, `token: ${JSON.stringify(cfg.token)}`, ""].join("\n");
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Server configuration: a YAML (or JSON) file plus command-line flags; flags win.
 * Only server/main.ts reads files and argv; everything else receives this typed object.
 */
import { z } from "zod";
import { join } from "node:path";
import { usageError, WaltError } from "../../src/errors.ts";

const Cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "expected an IPv4 address with a prefix length, e.g. 192.168.152.1/24");

/** Shape of the config file (`/etc/walt/server.conf` by default). Unknown keys are refused. */
export const ConfigFile = z
  .object({
    "data-dir": z.string().optional(),
    http: z
      .object({ host: z.string().optional(), port: z.number().int().min(0).max(65535).optional() })
      .strict()
      .optional(),
    database: z.object({ url: z.string().optional() }).strict().optional(),
    network: z
      .object({
        "walt-net": z
          .object({ ip: Cidr.optional(), "raw-device": z.string().nullable().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    "log-level": z.enum(["debug", "info", "warn", "error"]).optional(),
    "shutdown-deadline-ms": z.number().int().positive().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

/** The resolved configuration every server module receives. */
export interface ServerConfig {
  dataDir: string;
  http: { host: string; port: number };
  /** Absent: embedded SQLite at `<dataDir>/walt.db`. */
  databaseUrl: string | undefined;
  waltNet: { serverIp: string; prefix: number; rawDevice: string | null };
  logLevel: "debug" | "info" | "warn" | "error";
  shutdownDeadlineMs: number;
}

/** Command-line flags of `walt server`. */
export interface ServerFlags {
  config?: string | undefined;
  dataDir?: string | undefined;
  port?: number | undefined;
  listen?: string | undefined;
  dbUrl?: string | undefined;
}

export const DEFAULT_CONFIG_PATH = "/etc/walt/server.conf";
export const DEFAULT_DATA_DIR = "/var/lib/walt";
/** WALT's virtual-only default is 192.168.<random>.1/24; a fixed one keeps docs and tests reproducible. */
export const DEFAULT_WALT_NET = "192.168.152.1/24";

/** Parse the text of a config file (YAML, JSON accepted). `where` names it in error messages. */
export function parseConfigText(text: string, where: string): ConfigFile {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : Bun.YAML.parse(text);
  } catch (e) {
    throw usageError(`Cannot parse ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = ConfigFile.safeParse(raw ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.join(".") || "(top level)";
    throw usageError(`Invalid setting '${path}' in ${where}: ${issue?.message ?? "invalid"}.`, "see `walt help show server-config`");
  }
  return r.data;
}

/** Merge file and flags into the resolved configuration. */
export function resolveConfig(file: ConfigFile, flags: ServerFlags): ServerConfig {
  const dataDir = flags.dataDir ?? file["data-dir"] ?? DEFAULT_DATA_DIR;
  const cidr = file.network?.["walt-net"]?.ip ?? DEFAULT_WALT_NET;
  const [ip = "", prefixText = "24"] = cidr.split("/");
  const prefix = Number(prefixText);
  if (prefix < 8 || prefix > 30 || ip.split(".").some((p) => Number(p) > 255)) {
    throw new WaltError("USAGE", `Invalid walt-net address '${cidr}'.`, { hint: "use for example 192.168.152.1/24" });
  }
  return {
    dataDir,
    http: { host: flags.listen ?? file.http?.host ?? "0.0.0.0", port: flags.port ?? file.http?.port ?? 80 },
    databaseUrl: flags.dbUrl ?? file.database?.url,
    waltNet: { serverIp: ip, prefix, rawDevice: file.network?.["walt-net"]?.["raw-device"] ?? null },
    logLevel: file["log-level"] ?? "info",
    shutdownDeadlineMs: file["shutdown-deadline-ms"] ?? 10_000,
  };
}

/** Where the embedded database lives. */
export const sqlitePath = (c: ServerConfig): string => join(c.dataDir, "walt.db");

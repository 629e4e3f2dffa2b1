/**
 * Server configuration: a YAML (or JSON) file plus command-line flags; flags win.
 * Only server/main.ts reads files and argv; everything else receives this typed object.
 */
import { z } from "zod";
import { join } from "node:path";
import { usageError, WaltError } from "../../src/errors.ts";

/** A label names a registry in clonable links (`<label>:<user>/<image>`) and in `--registry`. */
const RegistryLabel = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "expected lowercase letters, digits, '-' or '_'")
  .refine((l) => l !== "walt" && l !== "docker", "'walt' and 'docker' are reserved clonable link locations");

/** One entry of `registries` (WALT §4.6; `jfrog-artifactory` is not supported). */
const RegistryEntry = z
  .object({
    label: RegistryLabel,
    api: z.enum(["docker-registry-v2", "docker-hub"]),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    protocol: z.enum(["https", "http", "https-no-verify"]).optional(),
    auth: z.enum(["basic", "none"]).optional(),
    description: z.string().optional(),
  })
  .strict();

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
    registries: z.array(RegistryEntry).optional(),
    /** A directory of OCI image layouts (one per sub-directory) holding the default images. */
    "default-images": z.string().min(1).optional(),
    /**
     * Network boot services (walt-net, DHCP, TFTP, NFS, NBD, virtual nodes). `auto`: on when walt-net has a raw
     * device, or when the server runs inside a named network namespace (`ip netns`); off otherwise, so a
     * virtual-only server never creates its bridge in a host's namespace by surprise.
     */
    netboot: z.union([z.boolean(), z.literal("auto")]).optional(),
    "virtual-nodes": z
      .object({
        /** `auto`: KVM when a probe boot proves it works, else TCG. */
        accel: z.enum(["auto", "kvm", "tcg"]).optional(),
        /** `emulated`: WALT's emulated iPXE, direct kernel boot (default); `pxe`: qemu's iPXE ROM. */
        bootloader: z.enum(["emulated", "pxe"]).optional(),
      })
      .strict()
      .optional(),
    /** The walt binary injected into served images as /bin/walt (default: this binary, when compiled). */
    "agent-binary": z.string().min(1).optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

/** A registry images are cloned from, searched on and published to. */
export interface RegistryConfig {
  label: string;
  api: "docker-registry-v2" | "docker-hub";
  /** Registry v2 only (the hub's address is fixed). */
  host?: string | undefined;
  port: number;
  protocol: "https" | "http" | "https-no-verify";
  /** `basic`: the user's credentials (client config) are sent; `none`: anonymous. */
  auth: "basic" | "none";
  description: string;
}

/** WALT's default: the Docker Hub only. */
export const DEFAULT_REGISTRIES: readonly RegistryConfig[] = [
  { label: "hub", api: "docker-hub", port: 443, protocol: "https", auth: "basic", description: "Public registry at hub.docker.com" },
];

/** The resolved configuration every server module receives. */
export interface ServerConfig {
  dataDir: string;
  http: { host: string; port: number };
  /** Absent: embedded SQLite at `<dataDir>/walt.db`. */
  databaseUrl: string | undefined;
  waltNet: { serverIp: string; prefix: number; rawDevice: string | null };
  logLevel: "debug" | "info" | "warn" | "error";
  shutdownDeadlineMs: number;
  /** In the order of the file; labels are unique. */
  registries: RegistryConfig[];
  /** OCI layouts of the default images, imported at start (`<dataDir>/default-images` by default). */
  defaultImagesDir: string;
  /** Network boot services: on, off, or decided at start (see ConfigFile `netboot`). */
  netboot: "auto" | "on" | "off";
  vnodes: { accel: "auto" | "kvm" | "tcg"; bootloader: "emulated" | "pxe" };
  /** The binary injected as /bin/walt; undefined: this process's binary when it is the compiled walt. */
  agentBinary: string | undefined;
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
    registries: file.registries === undefined ? DEFAULT_REGISTRIES.map((r) => ({ ...r })) : resolveRegistries(file.registries),
    defaultImagesDir: file["default-images"] ?? join(dataDir, "default-images"),
    netboot: file.netboot === undefined || file.netboot === "auto" ? "auto" : file.netboot ? "on" : "off",
    vnodes: { accel: file["virtual-nodes"]?.accel ?? "auto", bootloader: file["virtual-nodes"]?.bootloader ?? "emulated" },
    agentBinary: file["agent-binary"],
  };
}

type RegistryEntry = z.infer<typeof RegistryEntry>;

/** Defaults of WALT (port 443, https, basic auth) and the checks a schema cannot express. */
function resolveRegistries(entries: RegistryEntry[]): RegistryConfig[] {
  const seen = new Set<string>();
  return entries.map((e, i) => {
    const where = `registries.${i}`;
    if (seen.has(e.label)) throw usageError(`Invalid setting '${where}.label': registry label '${e.label}' is used twice.`, "see `walt help show server-config`");
    seen.add(e.label);
    if (e.api === "docker-registry-v2" && e.host === undefined) {
      throw usageError(`Invalid setting '${where}.host': a docker-registry-v2 registry needs a host.`, "see `walt help show server-config`");
    }
    if (e.api === "docker-hub" && (e.host !== undefined || e.port !== undefined || e.protocol !== undefined)) {
      throw usageError(`Invalid setting '${where}': the docker hub's host, port and protocol cannot be changed.`, "see `walt help show server-config`");
    }
    const port = e.port ?? 443;
    return {
      label: e.label,
      api: e.api,
      ...(e.host === undefined ? {} : { host: e.host }),
      port,
      protocol: e.protocol ?? "https",
      auth: e.auth ?? "basic",
      description: e.description ?? (e.api === "docker-hub" ? "Public registry at hub.docker.com" : `Private registry at ${e.host ?? ""}:${port}`),
    };
  });
}

/** Where the embedded database lives. */
export const sqlitePath = (c: ServerConfig): string => join(c.dataDir, "walt.db");

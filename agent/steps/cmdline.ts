/**
 * Step `cmdline`: the `walt.*` keys of the kernel command line (the same ones WALT's initramfs reads) and
 * /run/walt/boot.env when the initramfs left one; decides the server address and the layout.
 */
import { BOOT_ENV, LOWER } from "../paths.ts";
import { DEFAULT_CONFIG, type AgentConfig } from "../context.ts";
import { ok, StepFailure, type Step } from "./step.ts";

/** Split a command line on blanks, keeping double-quoted values whole (`walt.x="a b"`). */
export function splitCmdline(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replaceAll('"', ""));
}

const SIZE = /^\d+[KMG%]?$/;
const SWAP = /^\d+[MG]$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Parse the kernel command line; bad values keep their default and leave a warning. */
export function parseCmdline(text: string): AgentConfig {
  const c: AgentConfig = { ...DEFAULT_CONFIG, warnings: [] };
  for (const word of splitCmdline(text)) {
    const m = /^walt\.([a-z0-9_]+)=(.*)$/.exec(word);
    if (!m) continue;
    const [, key = "", value = ""] = m;
    const bad = (): void => void c.warnings.push(`ignored walt.${key}=${value}`);
    switch (key) {
      case "server":
      case "root":
      case "persist":
      case "hostname":
      case "model":
      case "image":
        if (value === "") delete c[key];
        else c[key] = value;
        break;
      case "mac":
        if (MAC.test(value.toLowerCase())) c.mac = value.toLowerCase();
        else bad();
        break;
      case "init":
        if (value.startsWith("/")) c.init = value;
        else bad();
        break;
      case "rwsize":
        if (SIZE.test(value)) c.rwsize = value;
        else bad();
        break;
      case "swap":
        if (SWAP.test(value)) c.swap = value;
        else bad();
        break;
      case "panic_delay":
        if (/^\d{1,4}$/.test(value)) c.panicDelayS = Number(value);
        else bad();
        break;
      case "debug":
        c.debug = value === "1";
        break;
      default:
        break;
    }
  }
  return c;
}

/** Parse `key='value'` lines as written by the initramfs (values never contain a quote). */
export function parseBootEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)='([^']*)'$/.exec(line.trim());
    if (m?.[1] !== undefined) env[m[1]] = m[2] ?? "";
  }
  return env;
}

export const cmdlineStep: Step = {
  name: "cmdline",
  label: "Reading the kernel command line",
  async run({ sys, state, out }) {
    const config = parseCmdline(await sys.readFile("/proc/cmdline"));
    for (const w of config.warnings) out(`walt-init: ${w}`);
    if (await sys.exists(BOOT_ENV)) {
      state.bootEnv = parseBootEnv(await sys.readFile(BOOT_ENV));
      state.layout = "initramfs";
    }
    const env = state.bootEnv;
    // The initramfs may have found the server through DHCP (next-server, then the DHCP server).
    const server = config.server ?? env["server"] ?? env["siaddr"] ?? env["serverid"];
    if (server === undefined || server === "") throw new StepFailure("no WALT server address (walt.server= on the kernel command line)");
    config.server = server;
    const mac = config.mac ?? env["mac"]?.toLowerCase();
    if (mac !== undefined && MAC.test(mac)) config.mac = mac;
    if (config.persist === undefined && env["persist"]) config.persist = env["persist"];
    state.config = config;
    state.lower = state.layout === "initramfs" ? env["lower"] || LOWER : LOWER;
    const from = state.layout === "initramfs" ? "handed over by the initramfs" : "no initramfs: the agent is the kernel's init";
    return ok(`server ${server}, mac ${config.mac ?? "unknown"}; ${from}`);
  },
};

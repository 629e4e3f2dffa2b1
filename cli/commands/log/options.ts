/**
 * Switches shared by `walt log show` and `walt log wait` (WALT client log.py, WalTLogShowOrWait), and what
 * they become once the `--platform` / `--server` shortcuts and WALT's client-side checks are applied.
 */
import { WaltError } from "../../../src/errors.ts";
import { isValidEre } from "../../../src/text/ere.ts";
import { DEFAULT_LOG_FORMAT } from "../../../src/text/log-format.ts";
import type { ParsedArgs, SwitchSpec } from "../../framework/types.ts";

/** Log issuers must belong to this set (WALT `allowed_device_set`). */
export const ISSUERS_ALLOWED = "server,all-nodes";

export const FORMAT_SWITCH: SwitchSpec = {
  names: ["--format"],
  metavar: "LOG_FORMAT:str",
  help: `printing format (see walt help show log-format); the default is ${DEFAULT_LOG_FORMAT}`,
};

const ISSUERS_SWITCH: SwitchSpec = {
  names: ["--issuers", "--emitters", "--nodes"],
  metavar: "SET_OF_ISSUERS:str",
  help: "selected issuers (see walt help show log-issuers); the default is my-nodes",
};

const STREAMS_SWITCH: SwitchSpec = { names: ["--streams"], metavar: "STREAMS_REGEXP:str", help: "selected log streams (as a regular expr.)" };

// The parser identifies a switch by its first name, so `--nodes` is covered by `--issuers`.
const PLATFORM_SWITCH: SwitchSpec = {
  names: ["--platform"],
  help: "shortcut for: --issuers server --streams platform.*; excludes --issuers, --nodes, --streams, --server",
  excludes: ["--issuers", "--streams", "--server"],
};

const SERVER_SWITCH: SwitchSpec = {
  names: ["--server"],
  help: "shortcut for: --issuers server --streams daemon.*; excludes --issuers, --nodes, --streams, --platform",
  excludes: ["--issuers", "--streams", "--platform"],
};

/** The switches common to `show` and `wait`. */
export const COMMON_LOG_SWITCHES: readonly SwitchSpec[] = [FORMAT_SWITCH, ISSUERS_SWITCH, STREAMS_SWITCH, PLATFORM_SWITCH, SERVER_SWITCH];

/** What the common switches select. */
export interface LogSelection {
  format: string;
  /** Issuer set expression (WALT default `my-nodes`). */
  issuers: string;
  streams: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Read the common switches, applying `--platform` / `--server` (WALT handle_shortcut_options). */
export function logSelection(p: ParsedArgs): LogSelection {
  const sel: LogSelection = { format: str(p.opts["format"]) ?? DEFAULT_LOG_FORMAT, issuers: str(p.opts["issuers"]) ?? "my-nodes", streams: str(p.opts["streams"]) };
  if (p.opts["platform"] === true) return { ...sel, issuers: "server", streams: "platform.*" };
  if (p.opts["server"] === true) return { ...sel, issuers: "server", streams: "daemon.*" };
  return sel;
}

/** WALT's client-side regexp check: `Invalid regular expression: <re>.` for the first invalid one. */
export function verifyRegexps(...regexps: (string | undefined)[]): void {
  for (const re of regexps) {
    if (re !== undefined && !isValidEre(re)) throw new WaltError("USAGE", `Invalid regular expression: ${re}.`);
  }
}

/**
 * `walt log wait <logline_regexp>` (WALT §1.8, client log.py WalTLogWait): follow realtime logs (plus the
 * last `--time-margin` seconds) and print matching lines until the first match (`--mode ANY`) or until
 * every issuer of the set produced one (`--mode ALL`).
 */
import { usageError } from "../../../src/errors.ts";
import { compileLogFormat } from "../../../src/text/log-format.ts";
import type { CommandDef } from "../../framework/types.ts";
import { displayLogs } from "./display.ts";
import { COMMON_LOG_SWITCHES, logSelection, verifyRegexps } from "./options.ts";
import { resolveHistory, resolveIssuers } from "./show.ts";

/** `--mode`, case-insensitive as WALT's `cli.Set("ALL", "ANY", case_sensitive=False)`. */
export function parseWaitMode(value: string): "ANY" | "ALL" {
  const v = value.toUpperCase();
  if (v === "ANY" || v === "ALL") return v;
  throw usageError(`Argument of --mode expected to be ANY or ALL, not '${value}'`, "walt log wait --help");
}

export const logWait: CommandDef = {
  name: "wait",
  ordering: 2,
  description: "Wait for a given log line",
  args: [{ name: "logline_regexp" }],
  switches: [
    ...COMMON_LOG_SWITCHES,
    { names: ["--mode"], metavar: "LOG_WAIT_MODE", help: "specify mode (see walt help show log-wait); the default is ANY" },
    { names: ["--time-margin"], metavar: "SECONDS:int", type: "int", help: "also look in recent past logs if they matched" },
    { names: ["--timeout"], metavar: "SECONDS:int", type: "int", help: "stop if still waiting after this number of seconds; the default is -1" },
  ],
  async run(ctx, p) {
    const mode = parseWaitMode(typeof p.opts["mode"] === "string" ? p.opts["mode"] : "ANY");
    const margin = typeof p.opts["time-margin"] === "number" ? p.opts["time-margin"] : 0;
    const timeoutS = typeof p.opts["timeout"] === "number" ? p.opts["timeout"] : -1;
    const sel = logSelection(p);
    const line = String(p.args["logline_regexp"]);
    verifyRegexps(sel.streams, line);
    const format = compileLogFormat(sel.format);
    const api = await ctx.api();
    const names = await ctx.busy(() => resolveIssuers(api, sel.issuers));
    const range = margin === 0 ? null : await ctx.busy(() => resolveHistory(api, `-${margin}s:`));
    const missing = new Set(names);
    // ANY: the first matching line ends the wait; ALL: each issuer of the set must have matched once.
    const stop =
      mode === "ANY"
        ? () => true
        : (rec: { issuer: string }) => {
            missing.delete(rec.issuer);
            return missing.size === 0;
          };
    const query = {
      history: range && { fromUs: range.start, toUs: range.end },
      realtime: true,
      issuers: names.join(","),
      line,
      ...(sel.streams === undefined ? {} : { streams: sel.streams }),
    };
    return displayLogs(ctx, api, query, { format, stop, timeoutS });
  },
};

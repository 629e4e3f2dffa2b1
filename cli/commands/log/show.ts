/**
 * `walt log show [logline_regexp]` (WALT §1.8, client log.py WalTLogShow): history and/or realtime logs of
 * a set of issuers, printed with `--format`. History ranges are resolved against the server's clock and
 * the requester's checkpoints; a large history on a terminal asks for confirmation first.
 */
import { resolveSet } from "../../../src/api/devices.ts";
import { checkpointTime, countLogs, serverTime } from "../../../src/api/logs.ts";
import { parseHistoryRange, type HistoryRange } from "../../../src/domain/history-range.ts";
import { WaltError } from "../../../src/errors.ts";
import { compileLogFormat } from "../../../src/text/log-format.ts";
import type { ApiClient } from "../../client.ts";
import type { CommandDef } from "../../framework/types.ts";
import { displayLogs } from "./display.ts";
import { COMMON_LOG_SWITCHES, ISSUERS_ALLOWED, logSelection, verifyRegexps } from "./options.ts";

/** WALT NUM_LOGS_CONFIRM_TRESHOLD. */
export const NUM_LOGS_CONFIRM_THRESHOLD = 1000;

export const MSG_NEED_REALTIME_OR_HISTORY =
  "You must specify at least 1 of the options --realtime and --history.\n" +
  "See 'walt help show log-realtime' and 'walt help show log-history' for more info.";

/** The issuer names of a set, checked against `server,all-nodes` (WALT get_issuers). */
export async function resolveIssuers(api: ApiClient, set: string): Promise<string[]> {
  return (await api.call(resolveSet, { set, allowed: ISSUERS_ALLOWED })).names;
}

/** Resolve `--history` (or a `--time-margin` range) with the server's time and checkpoints. */
export async function resolveHistory(api: ApiClient, spec: string): Promise<HistoryRange | null> {
  const { timeUs } = await api.call(serverTime, {});
  return parseHistoryRange(spec, {
    nowUs: timeUs,
    checkpointTimeUs: async (name) => (await api.call(checkpointTime, { name })).tsUs ?? undefined,
  });
}

export const logShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "Dump logs on standard output",
  args: [{ name: "logline_regexp", optional: true, defaultText: "None" }],
  switches: [
    ...COMMON_LOG_SWITCHES,
    { names: ["--realtime"], help: "enable realtime mode (see walt help show log-realtime)" },
    { names: ["--history"], metavar: "HISTORY_RANGE:str", help: "history range to be retrieved (see walt help show log-history); the default is none" },
  ],
  async run(ctx, p) {
    const realtime = p.opts["realtime"] === true;
    const historySpec = typeof p.opts["history"] === "string" ? p.opts["history"] : "none";
    // WALT compares the raw value: `--history NONE` passes this check and selects nothing
    if (!realtime && historySpec === "none") throw new WaltError("USAGE", MSG_NEED_REALTIME_OR_HISTORY);
    const sel = logSelection(p);
    const line = typeof p.args["logline_regexp"] === "string" ? p.args["logline_regexp"] : undefined;
    verifyRegexps(sel.streams, line);
    const format = compileLogFormat(sel.format);
    const api = await ctx.api();
    const issuers = (await ctx.busy(() => resolveIssuers(api, sel.issuers))).join(",");
    const range = await ctx.busy(() => resolveHistory(api, historySpec));
    const history = range && { fromUs: range.start, toUs: range.end };
    // With a line regexp the count would be costly and the result probably small: WALT skips it.
    if (history && line === undefined && ctx.io.stdout.isTTY && ctx.io.stdin.isTTY) {
      const { count } = await ctx.busy(() => api.call(countLogs, { history, issuers, ...(sel.streams === undefined ? {} : { streams: sel.streams }) }));
      if (count > NUM_LOGS_CONFIRM_THRESHOLD) {
        ctx.io.stdout.write(`This will display approximately ${count} log records from history.\n`);
        await ctx.confirmOrAbort();
      }
    }
    const query = { history, realtime, issuers, ...(sel.streams === undefined ? {} : { streams: sel.streams }), ...(line === undefined ? {} : { line }) };
    return displayLogs(ctx, api, query, { format });
  },
};

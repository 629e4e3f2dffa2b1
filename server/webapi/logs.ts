/**
 * `GET /api/v1/logs?from=…&to=…[&ts_unit=s|ms][&issuer=<name>][&stream=<name>]`: the log records
 * strictly between `from` and `to` (WALT's history bounds are exclusive, as our store's), in time order.
 * Checks run in WALT's order so the first failing one names the error.
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import type { LogFilter } from "../logs/record.ts";
import { badRequest } from "./errors.ts";
import { convertValue } from "./filters.ts";

/** June 2012: no WALT log can be older (WALT_T0). */
export const WALT_T0 = 1340000000;
/** Clock desynchronisation tolerated for `to` (and `from`) in the future, in seconds. */
const FUTURE_TOLERANCE_S = 2;

/** One entry of `logs`, keys in WALT's order. */
export interface WebApiLog {
  timestamp: number;
  line: string;
  issuer: string;
  stream: string;
}

/** Round half to even, as Python's round(). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Seconds to integer microseconds as Python's datetime.fromtimestamp() does (sub-second part rounded). */
export function secondsToUs(t: number): number {
  const whole = Math.trunc(t);
  return whole * 1e6 + roundHalfEven((t - whole) * 1e6);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function parseTimestamp(params: ReadonlyMap<string, string>, name: "from" | "to"): number {
  // Checked present by the caller.
  return convertValue(params.get(name) ?? "", "float") as number;
}

/** Validate the query; returns the bounds in seconds and the output unit. */
function parseBounds(params: ReadonlyMap<string, string>, nowUs: number): { from: number; to: number; unit: "s" | "ms" } {
  if (!params.has("from") || !params.has("to")) throw badRequest("Query parameters 'from' and 'to' are required.");
  let from = parseTimestamp(params, "from");
  let to = parseTimestamp(params, "to");
  const unit = params.get("ts_unit") ?? "s";
  if (unit === "ms") {
    from *= 0.001;
    to *= 0.001;
  } else if (unit !== "s") {
    throw badRequest("Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)");
  }
  const now = nowUs / 1e6;
  for (const [param, ts] of [["ts_from", from], ["ts_to", to]] as const) {
    if (ts < WALT_T0) throw badRequest(`Query parameter '${param}' is invalid (earlier than WALT project startup date!)`);
    if (ts > now + FUTURE_TOLERANCE_S) {
      throw badRequest(
        `Query parameter '${param}' is invalid, it refers to a date in the future.\n` +
          "Note: you can use 'ts_unit' query parameter to specify the unit (i.e. 's' for seconds, 'ms' for milliseconds).",
      );
    }
  }
  return { from, to, unit };
}

/** The reply of /api/v1/logs for these query parameters (400 WebApiError on bad parameters). */
export async function listLogs(
  ctx: Pick<ServerContext, "db" | "logs" | "clock">,
  params: ReadonlyMap<string, string>,
): Promise<{ num_logs: number; logs: WebApiLog[] }> {
  const { from, to, unit } = parseBounds(params, ctx.clock.nowUs());
  const logs: WebApiLog[] = [];
  // NaN passes WALT's bound checks, then its database query fails and the reply is empty.
  if (Number.isNaN(from) || Number.isNaN(to)) return { num_logs: 0, logs };
  const devices = await new DeviceRepo(ctx.db).all();
  const names = new Map(devices.map((d) => [d.mac, d.name]));
  const filter: LogFilter = {};
  const issuer = params.get("issuer") ?? "";
  if (issuer !== "") {
    const d = devices.find((x) => x.name === issuer);
    // An unknown issuer selects nothing (WALT: `d.name IN ('<issuer>')`).
    if (!d) return { num_logs: 0, logs };
    filter.issuerMacs = new Set([d.mac]);
  }
  const stream = params.get("stream") ?? "";
  // An exact stream name: WALT builds `^<stream>$` as a regexp; we escape it so that `.` is literal.
  if (stream !== "") filter.streamRe = new RegExp(`^${escapeRegExp(stream)}$`);
  for await (const block of ctx.logs.history(filter, { fromUs: secondsToUs(from), toUs: secondsToUs(to) })) {
    for (const r of block) {
      const seconds = r.tsUs / 1e6;
      logs.push({
        timestamp: unit === "ms" ? seconds * 1000 : seconds,
        line: r.line,
        issuer: names.get(r.issuerMac) ?? r.issuerMac,
        stream: r.stream,
      });
    }
  }
  return { num_logs: logs.length, logs };
}

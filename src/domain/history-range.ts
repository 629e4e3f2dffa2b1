/**
 * `walt log show --history HISTORY_RANGE` and `walt log add-checkpoint --date DATE` (client/walt/client/log.py).
 * All times are integer microseconds since the epoch; relative bounds are computed from the *server* time.
 *
 * WALT prints two lines when a range is refused for a reason (unknown checkpoint, start after end): the
 * reason, then the generic `Invalid HISTORY_RANGE...` line; the WaltError message carries both lines.
 */
import { WaltError } from "../errors.ts";
import { localUtcOffset, wallToEpochSeconds, type UtcOffset } from "../text/local-time.ts";
import { isValidCheckpointName } from "./names.ts";

export const INVALID_HISTORY_RANGE = "Invalid HISTORY_RANGE. See 'walt help show log-history' for more info.";
export const HISTORY_START_AFTER_END =
  "Issue with the HISTORY_RANGE specified: the starting point is newer than the ending point.";
export const INVALID_RELATIVE_DATE = "Invalid relative date. Should be: -<int>[dhms] (e.g. '-6h' for 'six hours ago')";
export const INVALID_DATE =
  "Could not parse the date specified.\nExpected format is: <YYYY>-<MM>-<DD> <hh>:<mm>:<ss>\nExample: 2015-09-28 15:16:39";

/** The server's message for an unknown checkpoint name. */
export function noCheckpointMessage(name: string): string {
  return `Failed: no checkpoint with this name '${name}'.`;
}

/** A history range; a null bound is unbounded (`full` is both null). */
export interface HistoryRange {
  start: number | null;
  end: number | null;
}

/** What resolving a range needs from the server. */
export interface HistoryRangeContext {
  /** The server's current time (µs). */
  nowUs: number;
  /** The time (µs) of the requester's checkpoint, or undefined when it does not exist. */
  checkpointTimeUs: (name: string) => Promise<number | undefined>;
}

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
const usage = (message: string): WaltError => new WaltError("USAGE", message);

/** Python's `int(str)` for ASCII digits: surrounding whitespace, a sign, `_` between digits. */
function pyInt(s: string): number | undefined {
  const t = s.trim();
  if (!/^[+-]?[0-9]+(_[0-9]+)*$/.test(t)) return undefined;
  const n = Number(t.replaceAll("_", ""));
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * WALT's `compute_relative_date`: `-<int><s|m|h|d>` before `nowUs`.
 * Throws WaltError USAGE `Invalid relative date...` otherwise (WALT then exits with status 1).
 */
export function relativeDateUs(rel: string, nowUs: number): number {
  const amount = pyInt(rel.slice(1, -1));
  const unit = SECONDS_PER_UNIT[rel.slice(-1)];
  if (rel.length < 2 || amount === undefined || unit === undefined) throw usage(INVALID_RELATIVE_DATE);
  const delayUs = amount * unit * 1e6;
  if (!Number.isSafeInteger(delayUs)) throw usage(INVALID_RELATIVE_DATE);
  return nowUs - delayUs;
}

/**
 * Resolve a `--history` value: `none` (any case) gives null, `full` gives an unbounded range, otherwise
 * `[start]:[end]` where each bound is empty, `-<int><s|m|h|d>` or a checkpoint name.
 * Throws WaltError USAGE with WALT's text(s) when the range is refused; errors of the lookup propagate.
 */
export async function parseHistoryRange(spec: string, ctx: HistoryRangeContext): Promise<HistoryRange | null> {
  const lower = spec.toLowerCase();
  if (lower === "none") return null;
  if (lower === "full") return { start: null, end: null };
  const parts = spec.split(":");
  if (parts.length !== 2) throw usage(INVALID_HISTORY_RANGE);
  const bounds: (number | null)[] = [];
  for (const part of parts) {
    if (part === "") {
      bounds.push(null);
    } else if (part.startsWith("-")) {
      bounds.push(relativeDateUs(part, ctx.nowUs));
    } else if (isValidCheckpointName(part)) {
      const t = await ctx.checkpointTimeUs(part);
      if (t === undefined) throw usage(`${noCheckpointMessage(part)}\n${INVALID_HISTORY_RANGE}`);
      bounds.push(t);
    } else {
      throw usage(INVALID_HISTORY_RANGE);
    }
  }
  const [start = null, end = null] = bounds;
  if (start !== null && end !== null && start > end) throw usage(`${HISTORY_START_AFTER_END}\n${INVALID_HISTORY_RANGE}`);
  return { start, end };
}

// Python's strptime regex for "%Y-%m-%d %H:%M:%S" (a space in the format matches any whitespace run)
const DATE_RE =
  /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])\s+(2[0-3]|[01]\d|\d):([0-5]\d|\d):(6[01]|[0-5]\d|\d)$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/**
 * `walt log add-checkpoint --date`: `YYYY-MM-DD hh:mm:ss` in local time (Python's strptime rules: 1-digit
 * fields accepted, invalid dates refused) or `-<int><s|m|h|d>` before the server time `nowUs`.
 * Throws WaltError USAGE with WALT's 3-line text, or the relative date text.
 */
export function parseCheckpointDate(date: string, nowUs: number, offset: UtcOffset = localUtcOffset): number {
  if (date.startsWith("-")) return relativeDateUs(date, nowUs);
  const m = DATE_RE.exec(date);
  if (m === null) throw usage(INVALID_DATE);
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x.trim())) as [number, number, number, number, number, number];
  if (year < 1 || day > daysInMonth(year, month) || second > 59) throw usage(INVALID_DATE);
  return wallToEpochSeconds({ year, month, day, hour, minute, second }, offset) * 1e6;
}

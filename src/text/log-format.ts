/**
 * `walt log show|wait --format`: Python's `str.format(**record)` on a log record whose `timestamp` is a naive
 * local datetime (so `{timestamp:%H:%M:%S.%f}` is strftime, `{timestamp:%s.%f}` gives POSIX seconds).
 *
 * Supported: literal text with `{{` / `}}`, fields `timestamp`, `issuer`, `stream`, `line`, conversions
 * `!s` `!r` `!a`, and format specs (strftime for the timestamp, the string mini-language otherwise).
 * Not supported (rejected as invalid): indexed / attribute fields (`{line[0]}`, `{timestamp.year}`) and
 * nested fields inside a spec. Errors are detected when compiling, with WALT's message.
 */
import { WaltError } from "../errors.ts";
import { localUtcOffset, toWallTime, type UtcOffset } from "./local-time.ts";
import { applyStrSpec, pyDatetimeRepr, pyDatetimeStr, pyStrRepr } from "./py-format.ts";
import { pyStrftime } from "./strftime.ts";

/** WALT's default `--format`. */
export const DEFAULT_LOG_FORMAT = "{timestamp:%H:%M:%S.%f} {issuer}.{stream} -> {line}";

/** WALT's message when a record cannot be formatted. */
export const LOG_FORMAT_ERROR = "Could not display the log record.\nVerify your format string.";

/** A log record as the CLI receives it; `timestamp` in integer microseconds since the epoch. */
export interface LogRecord {
  timestamp: number;
  issuer: string;
  stream: string;
  line: string;
}

const FIELDS = ["timestamp", "issuer", "stream", "line"] as const;
type FieldName = (typeof FIELDS)[number];
type Part = string | { field: FieldName; conversion: "" | "s" | "r" | "a"; spec: string };

const invalid = (cause?: unknown): WaltError => new WaltError("USAGE", LOG_FORMAT_ERROR, { cause });

/** Split a format string into literal text and fields (Python's MarkupIterator), or throw. */
function parse(fmt: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] ?? "";
    const next = fmt[i + 1];
    if (c === "}") {
      if (next !== "}") throw invalid(); // Single '}' encountered
      literal += "}";
      i += 2;
    } else if (c === "{" && next === "{") {
      literal += "{";
      i += 2;
    } else if (c === "{") {
      const end = fmt.indexOf("}", i + 1);
      if (end === -1) throw invalid(); // expected '}' before end of string
      const body = fmt.slice(i + 1, end);
      if (body.includes("{")) throw invalid(); // nested fields are not supported
      if (literal !== "") parts.push(literal);
      literal = "";
      parts.push(parseField(body));
      i = end + 1;
    } else {
      literal += c;
      i += 1;
    }
  }
  if (literal !== "") parts.push(literal);
  return parts;
}

function parseField(body: string): Part {
  const m = /^([^!:]*)(?:!(.?))?(?::([\s\S]*))?$/.exec(body);
  const name = m?.[1] ?? "";
  const conversion = m?.[2];
  if (m === null || !(FIELDS as readonly string[]).includes(name)) throw invalid();
  if (conversion !== undefined && !["s", "r", "a"].includes(conversion)) throw invalid();
  return { field: name as FieldName, conversion: (conversion ?? "") as "" | "s" | "r" | "a", spec: m[3] ?? "" };
}

function renderField(part: Exclude<Part, string>, rec: LogRecord, offset: UtcOffset): string {
  if (part.field !== "timestamp") {
    const value = rec[part.field];
    const converted = part.conversion === "r" || part.conversion === "a" ? pyStrRepr(value, part.conversion === "a") : value;
    return applyStrSpec(converted, part.spec);
  }
  const wall = toWallTime(rec.timestamp, offset);
  if (part.conversion === "") return part.spec === "" ? pyDatetimeStr(wall) : pyStrftime(part.spec, wall, rec.timestamp);
  return applyStrSpec(part.conversion === "s" ? pyDatetimeStr(wall) : pyDatetimeRepr(wall), part.spec);
}

/**
 * Compile a `--format` string into a record formatter.
 * Throws WaltError USAGE `Could not display the log record.\nVerify your format string.` on an invalid format.
 * @param offset the time zone the timestamps are shown in (default: local time, as WALT does)
 */
export function compileLogFormat(fmt: string, offset: UtcOffset = localUtcOffset): (rec: LogRecord) => string {
  const parts = parse(fmt);
  const sample: LogRecord = { timestamp: 0, issuer: "", stream: "", line: "" };
  const format = (rec: LogRecord): string =>
    parts.map((p) => (typeof p === "string" ? p : renderField(p, rec, offset))).join("");
  try {
    format(sample); // spec errors do not depend on the values: surface them now
  } catch (e) {
    throw invalid(e);
  }
  return format;
}

/** `YYYY-MM-DD hh:mm:ss` of an instant (µs) in local time, as WALT prints creation dates and checkpoints. */
export function formatLocalDateTime(us: number, offset: UtcOffset = localUtcOffset): string {
  return pyStrftime("%Y-%m-%d %H:%M:%S", toWallTime(us, offset), us);
}

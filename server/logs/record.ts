/** A WALT log record as held in memory and streamed to clients. */
export interface LogRecord {
  /** Monotonic id, assigned at ingestion; also the database row id. */
  id: number;
  streamId: number;
  issuerMac: string;
  stream: string;
  tsUs: number;
  line: string;
}

/** What a log query selects (all fields optional = everything). */
export interface LogFilter {
  /** Issuer MACs; undefined = any issuer. */
  issuerMacs?: ReadonlySet<string> | undefined;
  streamRe?: RegExp | undefined;
  lineRe?: RegExp | undefined;
  /** Exclude streams whose name ends with `console` (WALT's exclude_consoles). */
  excludeConsoles?: boolean | undefined;
}

/** True when `r` passes `f` (realtime path; history applies the same rules in SQL + JS). */
export function matches(f: LogFilter, r: Pick<LogRecord, "issuerMac" | "stream" | "line">): boolean {
  if (f.issuerMacs && !f.issuerMacs.has(r.issuerMac)) return false;
  if (f.excludeConsoles && r.stream.endsWith("console")) return false;
  if (f.streamRe && !f.streamRe.test(r.stream)) return false;
  if (f.lineRe && !f.lineRe.test(r.line)) return false;
  return true;
}

/**
 * Diagnostic logger for operators (not WALT logs, which are a product feature stored in the database).
 * One logfmt line per event on stderr; a child logger carries correlation fields (model-codebases §4.9).
 */
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  level?: Level;
  /** Where lines go; defaults to stderr. Tests pass an array sink. */
  write?: (line: string) => void;
  now?: () => Date;
}

const quote = (v: string): string => (/^[\w./:@,+-]*$/.test(v) && v !== "" ? v : JSON.stringify(v));

/** Format one logfmt line (exported for tests). */
export function formatLine(time: Date, level: Level, msg: string, fields: Fields): string {
  let out = `time=${time.toISOString()} level=${level} msg=${quote(msg)}`;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out += ` ${k}=${quote(String(v))}`;
  return out;
}

/** Create a logger. */
export function createLogger(opts: LoggerOptions = {}, base: Fields = {}): Logger {
  const min = ORDER[opts.level ?? "info"];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const now = opts.now ?? (() => new Date());
  const emit = (level: Level, msg: string, fields: Fields = {}): void => {
    if (ORDER[level] < min) return;
    write(formatLine(now(), level, msg, { ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (f) => createLogger(opts, { ...base, ...f }),
  };
}

/** A logger that drops everything (tests that do not look at diagnostics). */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: "error" });

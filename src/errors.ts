/**
 * The error model shared by every role (model-codebases §4.5).
 *
 * A WaltError carries a closed `code`, a human message (reproduced byte for byte where WALT defines it),
 * an optional hint (a command the user can run) and the HTTP status the server answers with.
 * The CLI prints `message` (and `hint`) on stderr and exits 1; only cli/main.ts exits.
 */

/** Every error code that can cross the CLI <-> server boundary. */
export const ERROR_CODES = [
  "USAGE",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION",
  "VERSION_MISMATCH",
  "UNAVAILABLE",
  "EXTERNAL",
  "CANCELLED",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Record<ErrorCode, number> = {
  USAGE: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION: 412,
  VERSION_MISMATCH: 426,
  UNAVAILABLE: 503,
  EXTERNAL: 502,
  CANCELLED: 499,
  INTERNAL: 500,
};

export interface WaltErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
}

/** Base class: a condition a caller may catch, with a code, a message and a hint. */
export class WaltError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: WaltErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WaltError";
    this.code = code;
    this.hint = options.hint;
  }

  /** HTTP status used by the server's error envelope. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** The envelope body `{error:{code,message,hint}}`. */
  toEnvelope(): ErrorEnvelope {
    return { error: { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) } };
  }
}

/** Wire shape of every error reply. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; hint?: string };
}

export const usageError = (message: string, hint?: string): WaltError => new WaltError("USAGE", message, { hint });
export const notFound = (message: string, hint?: string): WaltError => new WaltError("NOT_FOUND", message, { hint });
export const conflict = (message: string, hint?: string): WaltError => new WaltError("CONFLICT", message, { hint });
export const precondition = (message: string, hint?: string): WaltError =>
  new WaltError("PRECONDITION", message, { hint });

/** Thrown when the user aborts (Ctrl-C or answering "n"). The CLI prints `Aborted.` and exits 1. */
export class CancelledError extends WaltError {
  constructor() {
    super("CANCELLED", "Aborted.");
    this.name = "CancelledError";
  }
}

/** Narrow an unknown value to an error envelope (used by the CLI when decoding replies). */
export function isErrorEnvelope(v: unknown): v is ErrorEnvelope {
  if (typeof v !== "object" || v === null || !("error" in v)) return false;
  const e = (v as { error: unknown }).error;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { message?: unknown }).message === "string" &&
    (ERROR_CODES as readonly string[]).includes((e as { code?: unknown }).code as string)
  );
}

/** Rebuild a WaltError from an envelope. */
export function fromEnvelope(env: ErrorEnvelope): WaltError {
  return new WaltError(env.error.code, env.error.message, { hint: env.error.hint });
}

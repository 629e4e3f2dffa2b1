/**
 * Errors of the WALT web API. They do not use the CLI envelope `{error:{code,message,hint}}`: web API
 * clients (WALT's own tests, scripts written for WALT) read WALT's body formats, chosen by the
 * `Prefer` request header:
 *   - `Prefer: errors=text-only` → `text/plain`, the message followed by a newline;
 *   - `Prefer: errors=json`      → `{"error": <message>, "status_code": <n>}` (Python json.dumps spacing).
 * Without that header WALT answers bottle's HTML error page. We deliberately answer the JSON format
 * instead (a conscious improvement: a machine-readable body, no HTML to scrape); any other `Prefer`
 * value gets the same default.
 */
import type { Context } from "hono";
import { pyJsonString } from "./python.ts";

/** A web API failure with WALT's message (byte for byte) and HTTP status. */
export class WebApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 500,
    message: string,
  ) {
    super(message);
    this.name = "WebApiError";
  }
}

export const badRequest = (message: string): WebApiError => new WebApiError(400, message);

/** The body format asked for by the `Prefer` header (WALT only looks at a header starting with `errors=`). */
export function preferredErrorFormat(prefer: string | undefined): "text-only" | "json" {
  return prefer?.startsWith("errors=") && prefer.slice("errors=".length) === "text-only" ? "text-only" : "json";
}

/** The error body as WALT's `Prefer: errors=json` writes it. */
export function jsonErrorBody(message: string, status: number): string {
  return `{"error": ${pyJsonString(message)}, "status_code": ${status}}`;
}

/** Answer `err` in the format the client prefers. */
export function errorResponse(c: Context, err: WebApiError): Response {
  if (preferredErrorFormat(c.req.header("Prefer")) === "text-only") {
    return c.body(err.message + "\n", err.status, { "Content-Type": "text/plain; charset=UTF-8" });
  }
  return c.body(jsonErrorBody(err.message, err.status), err.status, { "Content-Type": "application/json" });
}

/** Run a handler, answering WebApiErrors in WALT's formats; anything else goes to the app's error handler. */
export async function withWebApiErrors(c: Context, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (e) {
    if (e instanceof WebApiError) return errorResponse(c, e);
    throw e;
  }
}

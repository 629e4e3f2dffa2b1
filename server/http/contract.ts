/**
 * Binds src/api endpoints to handlers: validates input with the endpoint's schema (400 envelope on
 * failure, nothing written), checks the API version and the token, serializes the reply or an NDJSON stream.
 */
import type { Context, Hono } from "hono";
import type { z } from "zod";
import { API_VERSION } from "../../src/version.ts";
import { WaltError } from "../../src/errors.ts";
import { API_VERSION_HEADER, TOKEN_HEADER, endpointPath, type Endpoint, type StreamEndpoint } from "../../src/api/endpoint.ts";
import type { UserRepo } from "../users/tokens.ts";

/** Who is calling. */
export interface Caller {
  /** Undefined only on endpoints declared with auth:false. */
  user: string;
  ip: string;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

export type CallHandler<E extends Endpoint> = (input: z.output<E["input"]>, caller: Caller) => Promise<z.input<E["output"]>>;
/** Validation happens before the returned promise resolves, so errors get a proper status; events follow. */
export type StreamHandler<E extends StreamEndpoint> = (
  input: z.output<E["input"]>,
  caller: Caller,
) => Promise<AsyncIterable<z.input<E["event"]>>>;

export interface Binder {
  call<E extends Endpoint>(e: E, h: CallHandler<E>): void;
  stream<E extends StreamEndpoint>(e: E, h: StreamHandler<E>): void;
}

export type IpOf = (c: Context) => string;

/** Refuse a client speaking another API version (VERSION_MISMATCH). */
export function checkApiVersion(c: Context): void {
  const v = c.req.header(API_VERSION_HEADER);
  if (v !== undefined && v !== API_VERSION) {
    throw new WaltError(
      "VERSION_MISMATCH",
      `This walt client speaks API version ${v} but the server speaks version ${API_VERSION}.`,
      { hint: Number(v) < Number(API_VERSION) ? "upgrade the walt client to the server's version" : "upgrade the walt server, or use a client of its version" },
    );
  }
}

/** The user owning the request's token (UNAUTHORIZED when there is none or it is unknown). */
export async function authenticate(c: Context, users: UserRepo): Promise<string> {
  const auth = c.req.header(TOKEN_HEADER) ?? c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
  const found = auth ? await users.resolve(auth) : undefined;
  if (!found) throw new WaltError("UNAUTHORIZED", "Missing or invalid token.", { hint: "check `token` in your walt client config (~/.config/walt/config)" });
  return found;
}

/**
 * The request's JSON body checked against `schema` (an empty body is `{}`); a BAD_REQUEST naming `what` and the
 * first issue otherwise. Shared by the CLI contract and the node endpoints.
 */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>, what: string): Promise<T> {
  let body: unknown;
  try {
    const text = await c.req.text();
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new WaltError("BAD_REQUEST", "Malformed JSON in request body.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new WaltError("BAD_REQUEST", `Invalid ${what}: ${i?.path.join(".") || "body"}: ${i?.message ?? "invalid"}.`);
  }
  return parsed.data;
}

/** Create a binder mounting endpoints on `app`. */
export function binder(app: Hono, users: UserRepo, ipOf: IpOf): Binder {
  const prepare = async (e: Endpoint | StreamEndpoint, c: Context): Promise<{ input: unknown; caller: Caller }> => {
    checkApiVersion(c);
    const user = e.auth ? await authenticate(c, users) : "";
    const input = await jsonBody(c, e.input, `request for '${e.name}'`);
    return { input, caller: { user, ip: ipOf(c), signal: c.req.raw.signal } };
  };

  return {
    call(e, h) {
      app.post(endpointPath(e), async (c) => {
        const { input, caller } = await prepare(e, c);
        return c.json((await h(input as never, caller)) as object);
      });
    },
    stream(e, h) {
      app.post(endpointPath(e), async (c) => {
        const { input, caller } = await prepare(e, c);
        const iter = (await h(input as never, caller))[Symbol.asyncIterator]();
        const enc = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(ctl) {
            try {
              const r = await iter.next();
              if (r.done) ctl.close();
              else ctl.enqueue(enc.encode(JSON.stringify(r.value) + "\n"));
            } catch (err) {
              // Errors after the headers are sent travel as a last line holding the envelope.
              const env = err instanceof WaltError ? err.toEnvelope() : { error: { code: "INTERNAL", message: "Internal server error." } };
              ctl.enqueue(enc.encode(JSON.stringify(env) + "\n"));
              ctl.close();
            }
          },
          async cancel() {
            await iter.return?.();
          },
        });
        return new Response(body, { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
      });
    },
  };
}

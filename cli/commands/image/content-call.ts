/**
 * Calls of the raw image-content endpoints (src/api/image-content.ts): parameters in the `x-walt-params` header,
 * a tar or NDJSON body, and NDJSON replies decoded line by line (an error envelope line becomes its WaltError).
 */
import { endpointPath } from "../../../src/api/endpoint.ts";
import { PARAMS_HEADER, type RawEndpoint, type RawParams } from "../../../src/api/image-content.ts";
import { WaltError, fromEnvelope, isErrorEnvelope } from "../../../src/errors.ts";
import { PROTOCOL_ISSUE } from "../../client.ts";
import type { CliContext } from "../../context.ts";

/** POST to a raw endpoint; the request is aborted when the user presses Ctrl-C. */
export async function rawPost<E extends RawEndpoint>(
  ctx: CliContext,
  e: E,
  params: RawParams<E>,
  body: Uint8Array | ReadableStream<Uint8Array> | null,
  contentType: string,
): Promise<Response> {
  const api = await ctx.api();
  const headers = { [PARAMS_HEADER]: encodeURIComponent(JSON.stringify(params)), "content-type": contentType };
  return api.send(endpointPath(e), body, headers, ctx.io.interrupted);
}

/** The reply's NDJSON values, each checked by `parse` (which throws on an unexpected value). */
export async function* ndjson<T>(res: Response, parse: (v: unknown) => T): AsyncGenerator<T> {
  if (res.body === null) return;
  const dec = new TextDecoder();
  let buf = "";
  const decode = (line: string): T => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    }
    if (isErrorEnvelope(v)) throw fromEnvelope(v);
    return parse(v);
  };
  for await (const chunk of res.body) {
    buf += dec.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() !== "") yield decode(line);
    }
  }
  if (buf.trim() !== "") yield decode(buf);
}

/** A zod-like schema's safeParse as a throwing parser. */
export const strictly =
  <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) =>
  (v: unknown): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE, { hint: "client and server versions differ?" });
    return r.data;
  };

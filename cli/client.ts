/**
 * Typed client of the src/api contract. Sends the API version and token, validates every reply with
 * the endpoint's schema, and turns transport failures into WALT's one-line messages.
 */
import type { z } from "zod";
import { API_VERSION_HEADER, TOKEN_HEADER, endpointPath, type Endpoint, type StreamEndpoint } from "../src/api/endpoint.ts";
import { WaltError, fromEnvelope, isErrorEnvelope } from "../src/errors.ts";
import { API_VERSION } from "../src/version.ts";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const NETWORK_FAILED = "Network connection to WalT server failed!";
export const PROTOCOL_ISSUE = "Issue occured while communicating with WalT server!";

/** Bun's fetch over a unix socket: `{ unix: path }` with any http URL. */
export const unixFetch =
  (path: string): FetchLike =>
  (u, i) =>
    fetch(u, { ...i, unix: path } as RequestInit);

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchFn: FetchLike;

  /** `baseUrl`: `http(s)://host[:port]`, or `unix:<socket path>` (the server's walt.sock). */
  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
    fetchFn?: FetchLike,
  ) {
    const unix = baseUrl.startsWith("unix:") ? baseUrl.slice("unix:".length) : undefined;
    this.baseUrl = unix === undefined ? baseUrl : "http://localhost";
    this.fetchFn = fetchFn ?? (unix === undefined ? (u, i) => fetch(u, i) : unixFetch(unix));
  }

  private post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    return this.send(path, JSON.stringify(body), { "content-type": "application/json" }, signal);
  }

  /**
   * POST any body (a stream is sent as it is produced) with the contract's version and token headers; a reply
   * that is not 2xx becomes the WaltError of its envelope. For endpoints whose bodies are not JSON.
   */
  async send(path: string, body: string | Uint8Array | ReadableStream<Uint8Array> | null, extraHeaders: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { ...extraHeaders, [API_VERSION_HEADER]: API_VERSION };
    if (this.token) headers[TOKEN_HEADER] = this.token;
    let res: Response;
    try {
      // `duplex: "half"` lets a streamed body go out while the reply comes in.
      const init: RequestInit & { duplex?: "half" } = { method: "POST", headers, body, ...(signal ? { signal } : {}) };
      if (body instanceof ReadableStream) init.duplex = "half";
      res = await this.fetchFn(this.baseUrl + path, init);
    } catch (e) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : e;
      throw new WaltError("UNAVAILABLE", NETWORK_FAILED, { cause: e });
    }
    if (!res.ok) {
      let payload: unknown;
      try {
        payload = await res.json();
      } catch {
        throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE, { hint: `the server answered HTTP ${res.status} without a WALT error` });
      }
      if (isErrorEnvelope(payload)) throw fromEnvelope(payload);
      throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    }
    return res;
  }

  /** Call a request/reply endpoint. */
  async call<E extends Endpoint>(e: E, input: z.input<E["input"]>, signal?: AbortSignal): Promise<z.output<E["output"]>> {
    const res = await this.post(endpointPath(e), input, signal);
    let payload: unknown;
    try {
      payload = await res.json();
    } catch {
      throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    }
    const parsed = e.output.safeParse(payload);
    if (!parsed.success) throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE, { hint: `unexpected reply to ${e.name}: client and server versions differ?` });
    return parsed.data as z.output<E["output"]>;
  }

  /** Call a streaming endpoint; yields validated events until the server ends the stream. */
  async *stream<E extends StreamEndpoint>(e: E, input: z.input<E["input"]>, signal?: AbortSignal): AsyncGenerator<z.output<E["event"]>> {
    const res = await this.post(endpointPath(e), input, signal);
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line) yield this.decodeEvent(e, line);
        }
      }
    } catch (err) {
      if (signal?.aborted || err instanceof WaltError) throw err;
      throw new WaltError("UNAVAILABLE", NETWORK_FAILED, { cause: err });
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  private decodeEvent<E extends StreamEndpoint>(e: E, line: string): z.output<E["event"]> {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    }
    if (isErrorEnvelope(v)) throw fromEnvelope(v);
    const parsed = e.event.safeParse(v);
    if (!parsed.success) throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    return parsed.data as z.output<E["event"]>;
  }
}

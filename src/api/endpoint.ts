/**
 * How an endpoint of the CLI <-> server contract is described (model-codebases §4.3).
 *
 * Every CLI endpoint is `POST /api/cli/v1/<name>` with a JSON body validated by `input` on the server
 * and a JSON reply validated by `output` on the CLI, so a version skew becomes a clear message, not
 * an `undefined` later on. Streaming endpoints answer NDJSON: one `event` per line.
 */
import type { z } from "zod";

/** Header carrying the caller's API_VERSION; the server refuses mismatches with VERSION_MISMATCH. */
export const API_VERSION_HEADER = "x-walt-api-version";
/** Header carrying the caller's token (`Authorization: Bearer <token>` is accepted too). */
export const TOKEN_HEADER = "x-walt-token";
/** Path prefix of every CLI endpoint. */
export const CLI_PREFIX = "/api/cli/v1/";

/** A request/reply endpoint. */
export interface Endpoint<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: "call";
  readonly name: string;
  /** false only for the few endpoints usable before the client has a token. */
  readonly auth: boolean;
  readonly input: I;
  readonly output: O;
}

/** An endpoint whose reply is a stream of events (NDJSON). */
export interface StreamEndpoint<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly kind: "stream";
  readonly name: string;
  readonly auth: boolean;
  readonly input: I;
  readonly event: E;
}

/** Define a request/reply endpoint. */
export function call<I extends z.ZodType, O extends z.ZodType>(
  name: string,
  input: I,
  output: O,
  opts: { auth?: boolean } = {},
): Endpoint<I, O> {
  return { kind: "call", name, input, output, auth: opts.auth ?? true };
}

/** Define a streaming endpoint. */
export function stream<I extends z.ZodType, E extends z.ZodType>(
  name: string,
  input: I,
  event: E,
  opts: { auth?: boolean } = {},
): StreamEndpoint<I, E> {
  return { kind: "stream", name, input, event, auth: opts.auth ?? true };
}

export type Input<E extends Endpoint | StreamEndpoint> = z.input<E["input"]>;
export type ParsedInput<E extends Endpoint | StreamEndpoint> = z.output<E["input"]>;
export type Output<E extends Endpoint> = z.output<E["output"]>;
export type Event<E extends StreamEndpoint> = z.output<E["event"]>;

/** URL path of an endpoint. */
export const endpointPath = (e: { name: string }): string => CLI_PREFIX + e.name;

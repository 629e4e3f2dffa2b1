/**
 * Shapes shared by the NBD codecs of both sides (src/proto/nbd/client.ts, server/nbd/protocol.ts): the incremental
 * decoding contract and the values carried by the messages.
 */

/** What an incremental decoder answers: the value and the bytes it used, how many bytes it needs, or why not. */
export type Decoded<T> =
  | { kind: "ok"; value: T; size: number }
  | { kind: "more"; need: number }
  | { kind: "bad"; reason: string };

export interface BlockSizes {
  min: number;
  preferred: number;
  max: number;
}

/** A transmission request header. */
export interface Request {
  flags: number;
  type: number;
  cookie: bigint;
  /** Offsets beyond 2^53 lose precision, but then they are beyond any export and fail the bounds check anyway. */
  offset: number;
  length: number;
}

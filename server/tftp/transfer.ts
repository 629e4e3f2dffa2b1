/**
 * One read transfer as a state machine, with no I/O and no clock: the session feeds it ACKs, ERRORs and
 * timeouts, and performs the actions it returns (send the OACK, send blocks N..M, arm the retransmit timer,
 * finish, fail). This is what the unit tests drive with a fake clock.
 *
 * Blocks are counted with an absolute sequence number (1, 2, …, unbounded); the wire block number is that
 * sequence modulo 65536, so files of more than 65535 blocks roll over to block 0 as tftpd-hpa, atftp and the
 * Raspberry Pi bootloaders expect ("Allow TFTP block counter to rollover to 0", rpi-eeprom release notes).
 */
import type { TftpOption } from "./packet.ts";

export interface TransferLimits {
  /** Largest blksize granted (RFC 2348 allows 8..65464). */
  maxBlksize: number;
  /** Largest windowsize granted (RFC 7440 allows 1..65535; a big window only overflows receive buffers). */
  maxWindowsize: number;
  /** First retransmit timeout when the client does not negotiate `timeout` (tftpd-hpa: 1 s). */
  timeoutMs: number;
  /** Cap of the exponential backoff. */
  maxBackoffMs: number;
  /** Retransmissions of one window before giving up. */
  maxRetries: number;
}

export const DEFAULT_LIMITS: TransferLimits = { maxBlksize: 65464, maxWindowsize: 64, timeoutMs: 1000, maxBackoffMs: 8000, maxRetries: 5 };

/** What the negotiation settled: the parameters of the transfer and the OACK to send (empty: no OACK). */
export interface Negotiated {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  oack: TftpOption[];
}

const decimal = (v: string): number | null => (/^[0-9]{1,10}$/.test(v) ? Number(v) : null);

/**
 * Apply RFC 2347/2348/2349/7440 to the options of a read request. Unknown options and unusable values are
 * ignored (left out of the OACK, RFC 2347), values above our limits are lowered, `tsize` reports the real size.
 */
export function negotiate(options: readonly TftpOption[], size: number, limits: TransferLimits = DEFAULT_LIMITS): Negotiated {
  const out: Negotiated = { blksize: 512, windowsize: 1, timeoutMs: limits.timeoutMs, oack: [] };
  for (const { name, value } of options) {
    const v = decimal(value);
    if (v === null) continue;
    switch (name.toLowerCase()) {
      case "blksize":
        if (v < 8) break;
        out.blksize = Math.min(v, limits.maxBlksize, 65464);
        out.oack.push({ name, value: String(out.blksize) });
        break;
      case "tsize":
        out.oack.push({ name, value: String(size) });
        break;
      case "timeout":
        if (v < 1 || v > 255) break;
        out.timeoutMs = v * 1000;
        out.oack.push({ name, value: String(v) });
        break;
      case "windowsize":
        if (v < 1) break;
        out.windowsize = Math.min(v, limits.maxWindowsize, 65535);
        out.oack.push({ name, value: String(out.windowsize) });
        break;
    }
  }
  return out;
}

export type TransferAction =
  | { kind: "send-oack"; options: TftpOption[] }
  /** Send blocks `from`..`to` (absolute sequence numbers, inclusive), in order. */
  | { kind: "send-data"; from: number; to: number }
  | { kind: "arm-timer"; ms: number }
  | { kind: "finish"; bytes: number }
  /** `notify`: the ERROR packet to send the client before closing (none when the client is gone or aborted). */
  | { kind: "fail"; reason: string; bytes: number; notify?: { code: number; message: string } };

export type TransferState = "idle" | "negotiating" | "sending" | "done" | "failed";

export class ReadTransfer {
  private phase: TransferState = "idle";
  /** Highest block the client acknowledged (absolute). */
  private acked = 0;
  /** Highest block sent in the current window (absolute). */
  private sentHigh = 0;
  private tries = 0;
  /** A duplicate ACK may restart the window once per window (RFC 7440 loss signal) but no more: no SAS. */
  private dupHonoured = false;
  /** The last block: always shorter than blksize, empty when the size is a multiple of blksize (RFC 1350). */
  readonly lastBlock: number;

  constructor(
    readonly size: number,
    readonly params: Negotiated,
    private readonly limits: Pick<TransferLimits, "maxRetries" | "maxBackoffMs"> = DEFAULT_LIMITS,
  ) {
    this.lastBlock = Math.floor(size / params.blksize) + 1;
  }

  get state(): TransferState {
    return this.phase;
  }

  /** Wire block number, byte offset and length of an absolute block. */
  block(seq: number): { wire: number; offset: number; length: number } {
    const offset = (seq - 1) * this.params.blksize;
    return { wire: seq % 65536, offset, length: Math.max(0, Math.min(this.params.blksize, this.size - offset)) };
  }

  /** Bytes the client has acknowledged so far. */
  get bytesAcked(): number {
    return Math.min(this.size, this.acked * this.params.blksize);
  }

  start(): TransferAction[] {
    if (this.phase !== "idle") return [];
    if (this.params.oack.length > 0) {
      this.phase = "negotiating";
      return [{ kind: "send-oack", options: this.params.oack }, this.timer()];
    }
    this.phase = "sending";
    return this.sendWindow();
  }

  onAck(wire: number): TransferAction[] {
    if (this.phase === "negotiating") {
      if (wire !== 0) return []; // the OACK is acknowledged by ACK 0 only
      this.phase = "sending";
      this.tries = 0;
      return this.sendWindow();
    }
    if (this.phase !== "sending") return [];
    const delta = (wire - (this.acked % 65536) + 65536) % 65536;
    const outstanding = this.sentHigh - this.acked;
    if (delta === 0) {
      // A repeated ACK. In lockstep (window 1) answering it is the Sorcerer's Apprentice bug: every duplicate
      // would double the traffic. With a window it is the receiver's loss signal (RFC 7440 §4): honour once.
      if (this.params.windowsize === 1 || this.dupHonoured || outstanding === 0) return [];
      this.dupHonoured = true;
      return this.sendWindow();
    }
    if (delta > outstanding) return []; // an old ACK from before a rollover, or one for a block never sent
    this.acked += delta;
    this.tries = 0;
    this.dupHonoured = false;
    if (this.acked >= this.lastBlock) {
      this.phase = "done";
      return [{ kind: "finish", bytes: this.size }];
    }
    // A partial ACK means blocks after it were lost: the next window starts right after it (RFC 7440).
    return this.sendWindow();
  }

  /** The client sent an ERROR: stop without answering (RFC 1350 §7: errors are never acknowledged). */
  onError(code: number, message: string): TransferAction[] {
    if (this.phase === "done" || this.phase === "failed") return [];
    const when = this.phase === "negotiating" ? " after the OACK" : "";
    this.phase = "failed";
    return [{ kind: "fail", reason: `client aborted${when}: error ${code} ${JSON.stringify(message)}`, bytes: this.bytesAcked }];
  }

  onTimeout(): TransferAction[] {
    if (this.phase !== "negotiating" && this.phase !== "sending") return [];
    this.tries++;
    if (this.tries > this.limits.maxRetries) {
      this.phase = "failed";
      return [{ kind: "fail", reason: `no answer after ${this.limits.maxRetries} retransmissions`, bytes: this.bytesAcked }];
    }
    if (this.phase === "negotiating") return [{ kind: "send-oack", options: this.params.oack }, this.timer()];
    this.dupHonoured = false;
    return this.sendWindow();
  }

  /** Stop from our side (server shutdown): the client is told why. */
  abort(message: string): TransferAction[] {
    if (this.phase === "done" || this.phase === "failed") return [];
    this.phase = "failed";
    return [{ kind: "fail", reason: message, bytes: this.bytesAcked, notify: { code: 0, message } }];
  }

  private sendWindow(): TransferAction[] {
    const from = this.acked + 1;
    const to = Math.min(this.acked + this.params.windowsize, this.lastBlock);
    this.sentHigh = to;
    return [{ kind: "send-data", from, to }, this.timer()];
  }

  private timer(): TransferAction {
    const base = this.params.timeoutMs;
    return { kind: "arm-timer", ms: Math.min(base * 2 ** this.tries, Math.max(base, this.limits.maxBackoffMs)) };
  }
}

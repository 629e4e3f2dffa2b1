/**
 * Runs one ReadTransfer: decodes what the client sends on the transfer's socket, performs the transfer's
 * actions (reading the file ahead in large chunks, sending each window as one batch) and owns its retransmit
 * timer. Events are handled one at a time, in arrival order, even when a file read is pending.
 * Time comes from injected timers, so tests can drive retransmissions without sleeping.
 */
import type { Logger } from "../../src/log.ts";
import { decodePacket, encodePacket, writeData } from "./packet.ts";
import { ReadAhead } from "./read-ahead.ts";
import type { TftpFile } from "./routes.ts";
import type { ReadTransfer, TransferAction } from "./transfer.ts";

/** The transfer's socket, already connected to the client (its own TID, RFC 1350 §4). */
export interface Link {
  /** Send in order. The buffers may be reused once this returns: keep a copy of anything not sent yet. */
  send(packets: readonly Uint8Array[]): void;
}

export interface Timers {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type Outcome = { ok: true; bytes: number } | { ok: false; bytes: number; reason: string };

/** Read-ahead chunk: one file read serves many windows. */
const READ_AHEAD = 256 * 1024;

export class TransferSession {
  readonly outcome: Promise<Outcome>;
  private settle!: (o: Outcome) => void;
  private readonly queue: (() => TransferAction[])[] = [];
  private busy = false;
  private over = false;
  private timer: { handle: unknown; at: number } | null = null;
  private deadline = 0;
  private readonly pool: Uint8Array[] = [];
  private readonly ahead: ReadAhead;

  constructor(
    private readonly transfer: ReadTransfer,
    private readonly file: TftpFile,
    private readonly link: Link,
    private readonly timers: Timers,
    private readonly log: Logger,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    const windowBytes = transfer.params.blksize * transfer.params.windowsize;
    this.ahead = new ReadAhead(file, Math.max(READ_AHEAD, 4 * windowBytes), windowBytes);
  }

  start(): void {
    this.post(() => this.transfer.start());
  }

  /** A datagram from the client's TID. */
  onDatagram(bytes: Uint8Array): void {
    const d = decodePacket(bytes);
    if (!d.ok) {
      this.log.debug("tftp malformed datagram on transfer socket dropped", { reason: d.reason });
      return;
    }
    const p = d.packet;
    if (p.op === "ack") this.post(() => this.transfer.onAck(p.block));
    else if (p.op === "error") this.post(() => this.transfer.onError(p.code, p.message));
    else this.log.debug("tftp unexpected packet on transfer socket ignored", { op: p.op });
  }

  /** Stop from our side; the client gets an ERROR with `message`. */
  abort(message: string): void {
    this.post(() => this.transfer.abort(message));
  }

  /** The socket failed (ICMP port unreachable: the client is gone). */
  linkFailed(reason: string): void {
    if (!this.over) this.end({ ok: false, bytes: this.transfer.bytesAcked, reason });
  }

  /**
   * Queue an event. Events run synchronously while the data they need is in the read-ahead buffer (the common
   * case: no promise per ACK); a file read parks the queue until it completes, so the order is kept.
   */
  private post(event: () => TransferAction[]): void {
    this.queue.push(event);
    if (!this.busy) this.run();
  }

  private run(): void {
    this.busy = true;
    for (let event = this.queue.shift(); event && !this.over; event = this.queue.shift()) {
      let pending: Promise<void> | undefined;
      try {
        pending = this.perform(event(), 0);
      } catch (err) {
        this.crash(err);
      }
      if (pending) {
        pending.then(
          () => this.run(),
          (err: unknown) => {
            this.crash(err);
            this.run();
          },
        );
        return;
      }
    }
    this.busy = false;
  }

  private crash(err: unknown): void {
    this.end({ ok: false, bytes: this.transfer.bytesAcked, reason: `internal error: ${err instanceof Error ? err.message : String(err)}` });
  }

  /** Perform `actions` from index `from`; returns a promise only when it had to wait for a file read. */
  private perform(actions: readonly TransferAction[], from: number): Promise<void> | undefined {
    for (let i = from; i < actions.length && !this.over; i++) {
      const a = actions[i] as TransferAction;
      switch (a.kind) {
        case "send-oack":
          this.link.send([encodePacket({ op: "oack", options: a.options })]);
          break;
        case "send-data": {
          const first = this.transfer.block(a.from);
          const last = this.transfer.block(a.to);
          const length = last.offset + last.length - first.offset;
          const bytes = this.ahead.peek(first.offset, length);
          if (!bytes) return this.ahead.load(first.offset, length).then(() => this.perform(actions, i));
          this.sendBlocks(a.from, a.to, first.offset, bytes);
          break;
        }
        case "arm-timer":
          this.arm(a.ms);
          break;
        case "finish":
          this.end({ ok: true, bytes: a.bytes });
          break;
        case "fail":
          if (a.notify) this.link.send([encodePacket({ op: "error", code: a.notify.code, message: a.notify.message })]);
          this.end({ ok: false, bytes: a.bytes, reason: a.reason });
          break;
      }
    }
    return undefined;
  }

  /**
   * DATA packets are built in buffers reused from window to window (one per window slot): the link copies
   * what it cannot send at once, so a buffer is free again when `send` returns.
   */
  private sendBlocks(from: number, to: number, base: number, bytes: Uint8Array): void {
    const packets: Uint8Array[] = [];
    for (let seq = from; seq <= to; seq++) {
      const b = this.transfer.block(seq);
      const at = b.offset - base;
      const slot = seq - from;
      const buf = (this.pool[slot] ??= new Uint8Array(4 + this.transfer.params.blksize));
      packets.push(writeData(buf, b.wire, bytes.subarray(at, at + b.length)));
    }
    this.link.send(packets);
  }

  /** One pending timer at most; re-armed only when the new deadline is earlier than the pending one. */
  private arm(ms: number): void {
    this.deadline = this.timers.now() + ms;
    if (this.timer && this.timer.at <= this.deadline) return;
    if (this.timer) this.timers.clearTimeout(this.timer.handle);
    this.schedule(ms);
  }

  private schedule(ms: number): void {
    const at = this.timers.now() + ms;
    const handle = this.timers.setTimeout(() => {
      this.timer = null;
      const left = this.deadline - this.timers.now();
      if (left > 0) this.schedule(left);
      // Checked again when the event runs: an ACK queued before it may have moved the deadline.
      else this.post(() => (this.timers.now() >= this.deadline ? this.transfer.onTimeout() : []));
    }, ms);
    this.timer = { handle, at };
  }

  private end(outcome: Outcome): void {
    if (this.over) return;
    this.over = true;
    if (this.timer) this.timers.clearTimeout(this.timer.handle);
    this.timer = null;
    this.settle(outcome);
  }
}

/**
 * One NBD connection, from greeting to close: the decision layer between the socket (server.ts) and the storage
 * (backend.ts). Input arrives through feed(); the session parses it with the codec, decides with options.ts and
 * commands.ts, and answers through the injected SessionIo. Requests are served one at a time, in order.
 *
 * A session never throws: protocol violations, truncated input and storage failures end that connection only,
 * with one log line, and the export's swap file is always removed before `run()` settles.
 */
import type { Logger } from "../../src/log.ts";
import type { NbdBackend, NbdExport } from "./backend.ts";
import { ByteQueue } from "./byte-queue.ts";
import { CHUNK_BYTES, Hangup, ScratchBuffer, checkRequest, drainPayload, serveCommand, type TransferStats } from "./commands.ts";
import { TRANSMISSION_FLAGS, WALT_BLOCK_SIZES, decideOption, infoReplies } from "./options.ts";
import {
  FLAG_FIXED_NEWSTYLE,
  FLAG_NO_ZEROES,
  MAX_OPTION_DATA,
  REP,
  SIZE,
  decodeClientFlags,
  decodeOption,
  decodeRequest,
  encodeExportNameReply,
  encodeGreeting,
  encodeOptionError,
  encodeSimpleReply,
  type BlockSizes,
  type Decoded,
} from "./protocol.ts";

/** The connection as the session sees it. */
export interface SessionIo {
  /** Send bytes; resolves once the socket took them all (backpressure). Resolves at once when closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** End the connection. */
  close(): void;
  /** Stop / restart reading from the socket (input flow control). */
  pause(): void;
  resume(): void;
}

export interface SessionOptions {
  backend: NbdBackend;
  io: SessionIo;
  log: Logger;
  /** Names the peer in the swap file name. */
  owner: string;
  blockSizes?: BlockSizes;
  /**
   * Largest READ/WRITE served (default 32 MiB). WALT advertises a 1 MiB maximum block size, but the Linux kernel client
   * does not read it and merges swap I/O beyond 1 MiB; 32 MiB is what the protocol tells clients is always safe.
   */
  maxRequestBytes?: number;
  /** Called when the client enters transmission with an export. */
  onExport?: (name: string, size: number) => void;
}

export interface SessionEnd extends TransferStats {
  exportName: string | undefined;
  /** Why the connection ended, for the log. */
  reason: string;
  /** The client broke the protocol (or sent garbage), or the server failed: worth a warning. */
  abnormal: boolean;
}

/**
 * Input flow control: reading from the socket pauses above HIGH_WATER buffered bytes and resumes at LOW_WATER. The
 * session never waits for more than CHUNK_BYTES (1 MiB) at once, so LOW_WATER ≥ CHUNK_BYTES cannot deadlock.
 */
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = CHUNK_BYTES;

export class NbdSession {
  private readonly input = new ByteQueue();
  private eof = false;
  private stopping = false;
  private paused = false;
  private wake: (() => void) | undefined;
  private exp: NbdExport | undefined;
  private readonly stats: TransferStats = { bytesRead: 0, bytesWritten: 0, requests: 0 };
  private readonly maxRequestBytes: number;
  private readonly blockSizes: BlockSizes;

  constructor(private readonly opts: SessionOptions) {
    this.maxRequestBytes = opts.maxRequestBytes ?? 32 * 1024 * 1024;
    this.blockSizes = opts.blockSizes ?? WALT_BLOCK_SIZES;
  }

  /** Bytes from the socket. */
  feed(chunk: Uint8Array): void {
    if (this.eof) return;
    this.input.push(chunk);
    if (!this.paused && this.input.length > HIGH_WATER) {
      this.paused = true;
      this.opts.io.pause();
    }
    this.wake?.();
  }

  /** The peer closed (or the socket failed): serve what is already buffered, then finish. */
  end(): void {
    this.eof = true;
    this.wake?.();
  }

  /** Server shutdown: finish the request in flight (its payload included), read no further message, close. */
  shutdown(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** Serve the connection until it ends; settles after the swap file is removed. Never rejects. */
  async run(): Promise<SessionEnd> {
    let reason = "connection closed";
    let abnormal = false;
    try {
      await this.opts.io.write(encodeGreeting(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES));
      const flags = await this.decode(decodeClientFlags, SIZE.CLIENT_FLAGS, "client flags");
      reason = await this.transmit(await this.negotiate(flags.noZeroes));
    } catch (e) {
      reason = e instanceof Hangup ? e.reason : `internal error: ${String(e)}`;
      abnormal = !(e instanceof Hangup) || e.violation;
    } finally {
      this.eof = true;
      this.opts.io.close();
      this.input.clear();
      await this.exp?.close().catch((e: unknown) => this.opts.log.error("cannot remove nbd swap file", { error: String(e) }));
    }
    return { exportName: this.exp?.name, reason, abnormal, ...this.stats };
  }

  private async negotiate(noZeroes: boolean): Promise<NbdExport> {
    for (;;) {
      const req = await this.decode(decodeOption, SIZE.OPTION_HEADER + MAX_OPTION_DATA, "option");
      const out = decideOption(req, this.opts.backend, this.blockSizes);
      this.opts.log.debug("nbd option", { option: req.option, outcome: out.kind });
      if (out.kind === "reply") await this.writeAll(out.replies);
      else if (out.kind === "abort") {
        await this.writeAll(out.replies);
        throw new Hangup("client aborted negotiation", false);
      } else if (out.kind === "hangup") throw new Hangup(out.reason);
      else {
        const exp = await this.openExport(out.name, out.kind === "go" ? out.option : undefined);
        if (exp === undefined) continue;
        if (out.kind === "go") await this.writeAll(infoReplies(out.option, exp.size, this.blockSizes));
        else await this.opts.io.write(encodeExportNameReply(exp.size, TRANSMISSION_FLAGS, noZeroes));
        this.notifyExport(exp);
        return exp;
      }
    }
  }

  /** Create the export's storage. On failure GO gets an error reply (and may retry); EXPORT_NAME can only hang up. */
  private async openExport(name: string, goOption: number | undefined): Promise<NbdExport | undefined> {
    try {
      this.exp = await this.opts.backend.open(name, this.opts.owner);
      return this.exp;
    } catch (e) {
      this.opts.log.error("cannot create nbd export", { export: name, error: String(e) });
      if (goOption === undefined) throw new Hangup(`cannot create export ${name}`);
      await this.opts.io.write(encodeOptionError(goOption, REP.ERR_UNKNOWN, `Export ${name} is not available: ${String(e)}`));
      return undefined;
    }
  }

  private async transmit(exp: NbdExport): Promise<string> {
    const scratch = new ScratchBuffer();
    const io = { payload: (n: number) => this.payload(n), write: (b: Uint8Array) => this.opts.io.write(b), scratch: (n: number) => scratch.get(n) };
    for (;;) {
      if (this.stopping) return "server stopping";
      if (this.eof && this.input.length === 0) return "client closed the connection";
      const req = await this.decode(decodeRequest, SIZE.REQUEST, "request");
      const verdict = checkRequest(req, exp.size, this.maxRequestBytes);
      if (!verdict.ok) {
        await drainPayload(verdict.skip, io);
        await this.opts.io.write(encodeSimpleReply(verdict.error, req.cookie));
        if (verdict.hangup !== undefined) throw new Hangup(verdict.hangup);
        continue;
      }
      if ((await serveCommand(req, exp, io, this.stats)) === "disconnect") return "client disconnected (NBD_CMD_DISC)";
    }
  }

  /** Parse the next message, waiting for input as the decoder asks; throws Hangup on garbage or end of input. */
  private async decode<T>(decoder: (b: Uint8Array) => Decoded<T>, maxPeek: number, what: string): Promise<T> {
    for (;;) {
      const r = decoder(this.input.peek(Math.min(this.input.length, maxPeek)));
      if (r.kind === "ok") {
        this.input.skip(r.size);
        this.consumed();
        return r.value;
      }
      if (r.kind === "bad") throw new Hangup(`malformed ${what}: ${r.reason}`);
      if (!(await this.waitFor(r.need, true))) {
        if (this.input.length === 0) throw new Hangup(this.stopping ? "server stopping" : "client closed the connection", false);
        throw new Hangup(`connection ended in the middle of the ${what}`);
      }
    }
  }

  /** The next `n` payload bytes (n ≤ CHUNK_BYTES), as received chunks; fewer only if the input ended. Waiting for the
   * whole piece costs no copy and lets one writev store it. */
  private async payload(n: number): Promise<Uint8Array[]> {
    await this.waitFor(n);
    const parts = this.input.take(n);
    this.consumed();
    return parts;
  }

  /** Wait until `n` bytes are buffered; false if the input ended first (or, for a new message, the server stops). */
  private async waitFor(n: number, newMessage = false): Promise<boolean> {
    while (this.input.length < n) {
      if (this.eof || (newMessage && this.stopping)) return false;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    return true;
  }

  private consumed(): void {
    if (this.paused && this.input.length <= LOW_WATER) {
      this.paused = false;
      this.opts.io.resume();
    }
  }

  private notifyExport(exp: NbdExport): void {
    try {
      this.opts.onExport?.(exp.name, exp.size);
    } catch (e) {
      this.opts.log.error("nbd onConnect callback failed", { error: String(e) });
    }
  }

  private async writeAll(parts: Uint8Array[]): Promise<void> {
    for (const p of parts) await this.opts.io.write(p);
  }
}

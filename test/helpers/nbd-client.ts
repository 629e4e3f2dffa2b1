/**
 * A minimal NBD client (fixed newstyle, simple replies, one request at a time) for protocol tests and the benchmark.
 * Built on the project's codec mirror (src/proto/nbd/client.ts), so tests speak the wire format through an
 * independent path from the server's own encoders.
 */
import type { Socket } from "bun";
import { ByteQueue } from "../../server/nbd/byte-queue.ts";
import { CMD, FLAG_C_FIXED_NEWSTYLE, FLAG_C_NO_ZEROES, INFO, OPT, REP } from "../../src/proto/nbd/constants.ts";
import type { Decoded } from "../../src/proto/nbd/types.ts";
import {
  decodeExportNameReply,
  decodeGreeting,
  decodeInfo,
  decodeOptionReply,
  decodeSimpleReply,
  encodeClientFlags,
  encodeInfoRequest,
  encodeOption,
  encodeRequest,
  type OptionReply,
} from "../../src/proto/nbd/client.ts";
import { SocketWriter } from "../../server/nbd/socket-writer.ts";

/** The server refused an option. */
export class NbdOptionError extends Error {
  constructor(readonly type: number, message: string) {
    super(message);
  }
}

/** The server answered a command with an error number. */
export class NbdCommandError extends Error {
  constructor(readonly errno: number) {
    super(`NBD error ${errno}`);
  }
}

export interface ExportInfo {
  size: number;
  transmissionFlags: number;
  blockSizes?: { min: number; preferred: number; max: number };
}

export class NbdTestClient {
  private readonly input = new ByteQueue();
  private wake: (() => void) | undefined;
  private ended = false;
  private cookie = 1n;
  private readonly writer: SocketWriter;
  /** Settles when the server closed the connection. */
  readonly closed: Promise<void>;
  handshakeFlags = 0;

  private constructor(private readonly socket: Socket<NbdTestClient | undefined>, closed: Promise<void>) {
    this.writer = new SocketWriter(socket);
    this.closed = closed;
  }

  /** Connect and read the greeting; `flags` (default FIXED_NEWSTYLE | NO_ZEROES) are sent unless null. */
  static async connect(port: number, opts: { host?: string; flags?: number | null } = {}): Promise<NbdTestClient> {
    let onClose: () => void = () => undefined;
    const closed = new Promise<void>((r) => (onClose = r));
    const socket = await Bun.connect<NbdTestClient | undefined>({
      hostname: opts.host ?? "127.0.0.1",
      port,
      data: undefined,
      socket: {
        data: (s, chunk) => s.data?.receive(chunk),
        drain: (s) => s.data?.writer.drain(),
        close: (s) => {
          s.data?.finish();
          onClose();
        },
        end: (s) => s.data?.finish(),
      },
    });
    const client = new NbdTestClient(socket, closed);
    socket.data = client;
    client.handshakeFlags = (await client.next(decodeGreeting)).handshakeFlags;
    if (opts.flags !== null) await client.send(encodeClientFlags(opts.flags ?? FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES));
    return client;
  }

  /** NBD_OPT_GO: enter transmission, or throw NbdOptionError. */
  go(name: string, infos: number[] = [INFO.BLOCK_SIZE]): Promise<ExportInfo> {
    return this.infoOrGo(OPT.GO, name, infos);
  }

  info(name: string, infos: number[] = [INFO.BLOCK_SIZE]): Promise<ExportInfo> {
    return this.infoOrGo(OPT.INFO, name, infos);
  }

  /** NBD_OPT_EXPORT_NAME (the server closes the connection instead of refusing). */
  async exportName(name: string, noZeroes = true): Promise<ExportInfo> {
    await this.send(encodeOption(OPT.EXPORT_NAME, new TextEncoder().encode(name)));
    return this.next((b) => decodeExportNameReply(b, noZeroes));
  }

  async list(): Promise<string[]> {
    const replies = await this.option(OPT.LIST);
    return replies.filter((r) => r.type === REP.SERVER).map((r) => new TextDecoder().decode(r.data.subarray(4, 4 + new DataView(r.data.buffer, r.data.byteOffset).getUint32(0))));
  }

  /** Send an option and read replies up to the final one (ACK or an error). */
  async option(option: number, data?: Uint8Array): Promise<OptionReply[]> {
    await this.send(encodeOption(option, data));
    const out: OptionReply[] = [];
    for (;;) {
      const r = await this.next(decodeOptionReply);
      out.push(r);
      if (r.type === REP.ACK || r.type >= 0x80000000) return out;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const r = await this.command(CMD.READ, offset, length);
    if (r.error !== 0) throw new NbdCommandError(r.error);
    return r.data;
  }

  async write(offset: number, data: Uint8Array, flags = 0): Promise<void> {
    await this.check(this.command(CMD.WRITE, offset, data.length, data, flags));
  }

  trim = (offset: number, length: number): Promise<void> => this.check(this.command(CMD.TRIM, offset, length));
  writeZeroes = (offset: number, length: number, flags = 0): Promise<void> => this.check(this.command(CMD.WRITE_ZEROES, offset, length, undefined, flags));
  flush = (): Promise<void> => this.check(this.command(CMD.FLUSH, 0, 0));

  /** Send any request; resolves with the reply's error and, for a successful READ, its data. */
  async command(type: number, offset: number, length: number, payload?: Uint8Array, flags = 0): Promise<{ error: number; data: Uint8Array }> {
    const cookie = this.cookie++;
    await this.send(encodeRequest({ type, flags, cookie, offset, length }));
    if (payload) await this.send(payload);
    const reply = await this.next(decodeSimpleReply);
    if (reply.cookie !== cookie) throw new Error(`reply cookie ${reply.cookie} for request ${cookie}`);
    if (type !== CMD.READ || reply.error !== 0) return { error: reply.error, data: new Uint8Array(0) };
    return { error: 0, data: await this.bytes(length) };
  }

  /** Read one simple reply (after requests sent with send(), for pipelining). */
  nextReply(): Promise<{ error: number; cookie: bigint }> {
    return this.next(decodeSimpleReply);
  }

  /** NBD_CMD_DISC, then close our side. */
  async disconnect(): Promise<void> {
    await this.send(encodeRequest({ type: CMD.DISC, flags: 0, cookie: this.cookie++, offset: 0, length: 0 }));
    this.socket.end();
  }

  /** Raw bytes, for malformed input. */
  send(bytes: Uint8Array): Promise<void> {
    return this.writer.write(bytes);
  }

  end(): void {
    this.socket.end();
  }

  terminate(): void {
    this.socket.terminate();
  }

  /** Stop reading from the socket (a client that no longer drains its replies). */
  pause(): void {
    this.socket.pause();
  }

  private async infoOrGo(option: number, name: string, infos: number[]): Promise<ExportInfo> {
    const replies = await this.option(option, encodeInfoRequest(name, infos));
    const last = replies[replies.length - 1];
    if (last && last.type !== REP.ACK) throw new NbdOptionError(last.type, new TextDecoder().decode(last.data));
    const out: ExportInfo = { size: -1, transmissionFlags: 0 };
    for (const r of replies) {
      const info = r.type === REP.INFO ? decodeInfo(r.data) : undefined;
      if (info?.kind === "export") Object.assign(out, { size: info.size, transmissionFlags: info.transmissionFlags });
      if (info?.kind === "block-size") out.blockSizes = { min: info.min, preferred: info.preferred, max: info.max };
    }
    return out;
  }

  private async check(p: Promise<{ error: number }>): Promise<void> {
    const { error } = await p;
    if (error !== 0) throw new NbdCommandError(error);
  }

  private receive(chunk: Uint8Array): void {
    this.input.push(chunk);
    this.wake?.();
  }

  private finish(): void {
    this.ended = true;
    this.writer.close();
    this.wake?.();
  }

  private async waitFor(n: number): Promise<void> {
    while (this.input.length < n) {
      if (this.ended) throw new Error(`connection closed by the server (wanted ${n} bytes, have ${this.input.length})`);
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  /** Decode the next message, peeking only as many bytes as the decoder asks for (READ data may follow). */
  private async next<T>(decoder: (b: Uint8Array) => Decoded<T>): Promise<T> {
    for (let want = 16; ; ) {
      const r = decoder(this.input.peek(Math.min(this.input.length, want)));
      if (r.kind === "ok") {
        this.input.skip(r.size);
        return r.value;
      }
      if (r.kind === "bad") throw new Error(r.reason);
      want = r.need;
      await this.waitFor(r.need);
    }
  }

  private async bytes(n: number): Promise<Uint8Array> {
    await this.waitFor(n);
    const parts = this.input.take(n);
    if (parts.length === 1 && parts[0]) return new Uint8Array(parts[0].buffer, parts[0].byteOffset, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/**
 * The TFTP service: the listening socket and the lifecycle of transfers (model-codebases §4.7).
 *
 * Each read request gets its own ephemeral socket connected to the client, the transfer ID of RFC 1350 §4
 * (tftpd-hpa does the same); the kernel then drops datagrams from other peers for us. Write requests are
 * refused (the server is read-only). A datagram that does not decode is logged and dropped: nothing a client
 * sends can stop the service.
 */
import type { udp } from "bun";
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { decodePacket, encodePacket, TFTP_ERROR, type TftpPacket } from "./packet.ts";
import { netasciiFile } from "./netascii.ts";
import { resolveRequest, type TftpFile, type TftpRoute } from "./routes.ts";
import { connectTo, type TransferSocket } from "./link.ts";
import { realTimers, TransferSession, type Outcome, type Timers } from "./session.ts";
import { DEFAULT_LIMITS, negotiate, ReadTransfer, type TransferLimits } from "./transfer.ts";

/** One finished request, for the node boot timeline. */
export interface TftpEvent {
  kind: "served" | "failed";
  path: string;
  clientIp: string;
  clientPort: number;
  /** Bytes of the file the client acknowledged. */
  bytes: number;
  ms: number;
  /** The route that handled the request, if any did. */
  route?: string;
  /** Why it failed (for the log and the timeline; the client only saw the error packet). */
  reason?: string;
}

export interface TftpServerOptions {
  /** Address to bind (default 0.0.0.0): walt-net's server address in production, 127.0.0.1 in tests. */
  host?: string;
  /** UDP port (default 69; 0 picks a free one, read it back from `.port`). */
  port?: number;
  routes: readonly TftpRoute[];
  logger: Logger;
  onEvent?: (e: TftpEvent) => void;
  limits?: Partial<TransferLimits>;
  timers?: Timers;
}

type Request = Extract<TftpPacket, { op: "rrq" | "wrq" }>;
/** A request being answered, by client `ip:port`. */
interface Active {
  request: string;
  session: TransferSession | null;
  sock: TransferSocket | null;
}

export class TftpServer {
  readonly name = "tftp";
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private socket: udp.Socket<"uint8array"> | null = null;
  private stopping = false;
  private readonly host: string;
  private readonly limits: TransferLimits;
  private readonly timers: Timers;
  private readonly log: Logger;
  /** Requests being answered, by client `ip:port`, to recognise a retransmitted RRQ. */
  private readonly active = new Map<string, Active>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly opts: TftpServerOptions) {
    this.host = opts.host ?? "0.0.0.0";
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.timers = opts.timers ?? realTimers;
    this.log = opts.logger.child({ service: "tftp" });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** The bound port (after start). */
  get port(): number {
    return this.socket?.port ?? 0;
  }

  async start(): Promise<void> {
    const port = this.opts.port ?? 69;
    try {
      this.socket = await Bun.udpSocket({
        hostname: this.host,
        port,
        binaryType: "uint8array",
        socket: {
          data: (_s, data, rport, raddr, flags) => this.onDatagram(data, rport, raddr, flags.truncated),
          error: (_s, err: unknown) => this.log.warn("tftp socket error", { error: String(err) }),
        },
      });
    } catch (err) {
      const code = (err as { code?: string }).code ?? String(err);
      const why = code.includes("EADDRINUSE") ? "address in use" : code.includes("EACCES") ? "permission denied" : String(err);
      const hint = why === "permission denied" ? "ports below 1024 need root or CAP_NET_BIND_SERVICE" : undefined;
      throw new WaltError("UNAVAILABLE", `TFTP cannot listen on ${this.host}:${port}: ${why}`, { cause: err, hint });
    }
    this.log.info("tftp listening", { host: this.host, port: this.port });
  }

  /** Stop listening, abort every transfer (clients get an ERROR), release every socket. Idempotent. */
  async stop(deadline: AbortSignal): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.socket?.close();
      for (const t of this.active.values()) t.session?.abort("Server shutting down");
    }
    const expired = new Promise<void>((resolve) => {
      if (deadline.aborted) resolve();
      else deadline.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.race([Promise.allSettled([...this.inflight]), expired]);
    for (const t of this.active.values()) {
      t.session?.linkFailed("server stopped");
      t.sock?.close();
    }
    this.resolveDone();
  }

  private onDatagram(data: Uint8Array, port: number, address: string, truncated: boolean): void {
    if (this.stopping) return;
    const log = this.log;
    const decoded = truncated ? { ok: false as const, reason: "datagram truncated by the kernel" } : decodePacket(data);
    if (!decoded.ok) {
      log.warn("tftp malformed datagram dropped", { client: `${address}:${port}`, bytes: data.length, reason: decoded.reason });
      return;
    }
    const p = decoded.packet;
    if (p.op === "wrq") {
      log.info("tftp write request refused", { client: `${address}:${port}`, path: p.filename });
      this.socket?.send(encodePacket({ op: "error", code: TFTP_ERROR.accessViolation, message: "Access violation" }), port, address);
    } else if (p.op === "rrq") {
      const job = this.serve(p, address, port).catch((err: unknown) => log.error("tftp request failed", { path: p.filename, error: String(err) }));
      this.inflight.add(job);
      void job.finally(() => this.inflight.delete(job));
    } else log.debug("tftp packet without a transfer dropped", { client: `${address}:${port}`, op: p.op });
  }

  private async serve(req: Request, address: string, port: number): Promise<void> {
    const key = `${address}:${port}`;
    const signature = JSON.stringify([req.filename, req.mode, req.options]);
    const previous = this.active.get(key);
    if (previous?.request === signature) return; // the client repeated its RRQ before our first answer reached it
    previous?.session?.linkFailed("superseded by a new request from the same client port");
    // Registered before the first await, so that a repeated RRQ arriving meanwhile is recognised.
    const entry: Active = { request: signature, session: null, sock: null };
    this.active.set(key, entry);

    const clientIp = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
    const t0 = this.timers.now();
    const log = this.log.child({ client: `${clientIp}:${port}`, path: req.filename });
    let outcome: Outcome & { route?: string };
    try {
      entry.sock = await connectTo(this.host, address, port, entry);
      outcome = await this.answer(req, clientIp, port, entry, entry.sock, log);
    } catch (err) {
      log.error("tftp request failed", { error: String(err) });
      entry.sock?.link.send([encodePacket({ op: "error", code: TFTP_ERROR.notDefined, message: "Internal error" })]);
      outcome = { ok: false, bytes: 0, reason: `internal error: ${String(err)}` };
    } finally {
      if (this.active.get(key) === entry) this.active.delete(key);
      entry.sock?.close();
    }
    this.emit(outcome, req.filename, clientIp, port, this.timers.now() - t0);
  }

  /** Route the request, then run the transfer or send the refusal. */
  private async answer(req: Request, clientIp: string, port: number, entry: Active, sock: TransferSocket, log: Logger): Promise<Outcome & { route?: string }> {
    const resolved = await resolveRequest(this.opts.routes, { path: req.filename, clientIp, clientPort: port }, log);
    if (!resolved.ok) {
      log[resolved.code === TFTP_ERROR.fileNotFound ? "debug" : "warn"]("tftp request refused", { code: resolved.code, reason: resolved.reason });
      sock.link.send([encodePacket({ op: "error", code: resolved.code, message: resolved.message })]);
      return { ok: false, bytes: 0, reason: resolved.reason, ...(resolved.route ? { route: resolved.route } : {}) };
    }
    let file: TftpFile = resolved.file;
    try {
      if (req.mode === "netascii") file = await netasciiFile(file);
      const transfer = new ReadTransfer(file.size, negotiate(req.options, file.size, this.limits), this.limits);
      const session = new TransferSession(transfer, file, sock.link, this.timers, log);
      entry.session = session;
      session.start();
      if (this.stopping) session.abort("Server shutting down");
      const outcome = await session.outcome;
      log.debug("tftp transfer ended", { ok: outcome.ok, bytes: outcome.bytes, blksize: transfer.params.blksize, windowsize: transfer.params.windowsize });
      return { ...outcome, route: resolved.route };
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  private emit(o: Outcome & { route?: string }, path: string, clientIp: string, clientPort: number, ms: number): void {
    const event: TftpEvent = { kind: o.ok ? "served" : "failed", path, clientIp, clientPort, bytes: o.bytes, ms: Math.round(ms) };
    if (o.route !== undefined) event.route = o.route;
    if (!o.ok) event.reason = o.reason;
    try {
      this.opts.onEvent?.(event);
    } catch (err) {
      this.log.error("tftp onEvent callback threw", { error: String(err) });
    }
  }
}

/** Create the service (call start() to bind). */
export const createTftpServer = (opts: TftpServerOptions): TftpServer => new TftpServer(opts);

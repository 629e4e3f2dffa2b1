/**
 * The NBD swap service (WALT's `services/nbd.py`, TCP 10809): socket lifecycle only. Each accepted connection gets
 * one NbdSession (decisions) backed by the swap backend (data); this file binds, accepts, moves bytes and stops.
 *
 * TCP keepalive: WALT sets idle 15 s / interval 2 s / 5 probes, so a vanished node is noticed after ~25 s and its
 * swap file removed. Bun's socket.setKeepAlive(true, 15000) sets SO_KEEPALIVE and TCP_KEEPIDLE=15 s, and Bun fixes
 * TCP_KEEPINTVL=1 s and TCP_KEEPCNT=10 (it exposes no way to change them): the same ~25 s to detect a dead peer.
 * Listen backlog: WALT uses 10; Bun.listen exposes no backlog option, so the runtime's default applies.
 */
import type { Socket, TCPSocketListener } from "bun";
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { createSwapBackend, type SwapBackend } from "./backend.ts";
import { GiB } from "./export-name.ts";
import { NbdSession, type SessionEnd } from "./session.ts";
import { SocketWriter } from "./socket-writer.ts";

export interface NbdPeer {
  address: string;
  port: number;
}

export interface NbdServerOptions {
  /** Address to bind (the server's walt-net address). */
  host: string;
  /** TCP port; WALT uses 10809. 0 picks a free port (tests), read it back from `.port`. */
  port: number;
  /** Dedicated directory of the per-connection swap files. */
  swapDir: string;
  /** Largest export a node may ask for (default 16 GiB). */
  maxExportBytes?: number;
  /** Size of the `swap` export (default 16 GiB). */
  defaultExportBytes?: number;
  /** Largest READ/WRITE served before the connection is closed (default 32 MiB, see SessionOptions). */
  maxRequestBytes?: number;
  logger: Logger;
  /** A client entered transmission with an export (its swap file exists). */
  onConnect?: (peer: NbdPeer, exportName: string) => void;
  /** That client's connection ended and its swap file was removed. */
  onDisconnect?: (peer: NbdPeer, exportName: string, stats: SessionEnd) => void;
}

interface Conn {
  socket: Socket<Conn | undefined>;
  writer: SocketWriter;
  session: NbdSession;
  finished: Promise<void>;
}

const KEEPALIVE_IDLE_MS = 15_000;

/** A long-running service (model-codebases §4.7): start(), stop(deadline), done. */
export class NbdServer {
  readonly name = "nbd";
  readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;
  private readonly backend: SwapBackend;
  private readonly log: Logger;
  private listener: TCPSocketListener<Conn | undefined> | undefined;
  private readonly conns = new Set<Conn>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly opts: NbdServerOptions) {
    this.log = opts.logger.child({ service: "nbd" });
    this.backend = createSwapBackend({ dir: opts.swapDir, maxBytes: opts.maxExportBytes ?? 16 * GiB, defaultBytes: opts.defaultExportBytes });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** The bound port (after start). */
  get port(): number {
    if (!this.listener) throw new WaltError("PRECONDITION", "The NBD server is not started.");
    return this.listener.port;
  }

  /** Number of open connections. */
  get connections(): number {
    return this.conns.size;
  }

  /** Reply bytes waiting for slow clients to read (diagnostics). */
  get queuedBytes(): number {
    let n = 0;
    for (const c of this.conns) n += c.writer.pendingBytes;
    return n;
  }

  /** Paths of the swap files in use. */
  swapFiles(): string[] {
    return this.backend.openFiles();
  }

  async start(): Promise<void> {
    const stale = await this.backend.prepare();
    if (stale > 0) this.log.warn("removed swap files left by a previous run", { count: stale, dir: this.backend.dir });
    try {
      this.listener = Bun.listen<Conn | undefined>({
        hostname: this.opts.host,
        port: this.opts.port,
        data: undefined,
        socket: {
          open: (s) => this.accept(s),
          data: (s, chunk) => s.data?.session.feed(chunk),
          drain: (s) => s.data?.writer.drain(),
          end: (s) => s.data?.session.end(),
          close: (s) => this.closed(s),
          error: (s, e) => this.log.debug("nbd socket error", { peer: `${s.remoteAddress}:${s.remotePort}`, error: e.message }),
        },
      });
    } catch (e) {
      throw new WaltError("UNAVAILABLE", `Cannot listen for NBD on ${this.opts.host}:${this.opts.port}: ${(e as Error).message}`, { cause: e });
    }
    this.log.info("nbd server listening", { host: this.opts.host, port: this.listener.port, dir: this.backend.dir });
  }

  /**
   * Stop accepting, let each connection finish its request in flight, close them all and delete every swap file.
   * When `deadline` aborts first, connections are cut and the files deleted at once. Idempotent.
   */
  stop(deadline: AbortSignal): Promise<void> {
    this.stopping ??= this.shutdown(deadline);
    return this.stopping;
  }

  private async shutdown(deadline: AbortSignal): Promise<void> {
    const t0 = performance.now();
    this.listener?.stop(false);
    const conns = [...this.conns];
    for (const c of conns) c.session.shutdown();
    const finished = await untilAborted(Promise.all(conns.map((c) => c.finished)), deadline);
    if (!finished) {
      for (const c of this.conns) {
        c.writer.close();
        c.socket.terminate();
      }
      this.backend.removeAllNow();
      this.log.warn("nbd stop deadline reached; connections cut", { connections: this.conns.size });
    }
    this.listener?.stop(true);
    this.log.info("nbd server stopped", { ms: Math.round(performance.now() - t0) });
    this.resolveDone();
  }

  private accept(socket: Socket<Conn | undefined>): void {
    if (this.stopping) return socket.terminate();
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    socket.setNoDelay(true);
    const peer: NbdPeer = { address: socket.remoteAddress, port: socket.remotePort };
    const log = this.log.child({ peer: `${peer.address}:${peer.port}` });
    const writer = new SocketWriter(socket);
    const io = {
      write: (b: Uint8Array) => writer.write(b),
      close: () => {
        writer.close();
        socket.end();
      },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    };
    const session = new NbdSession({
      backend: this.backend,
      io,
      log,
      owner: peer.address,
      ...(this.opts.maxRequestBytes === undefined ? {} : { maxRequestBytes: this.opts.maxRequestBytes }),
      onExport: (name, size) => {
        log.info("nbd client connected", { export: name, bytes: size });
        this.opts.onConnect?.(peer, name);
      },
    });
    const conn: Conn = { socket, writer, session, finished: Promise.resolve() };
    conn.finished = session.run().then((end) => this.ended(conn, peer, log, end));
    socket.data = conn;
    this.conns.add(conn);
  }

  private closed(socket: Socket<Conn | undefined>): void {
    socket.data?.writer.close();
    socket.data?.session.end();
  }

  private ended(conn: Conn, peer: NbdPeer, log: Logger, end: SessionEnd): void {
    this.conns.delete(conn);
    const fields = { export: end.exportName, reason: end.reason, requests: end.requests, read: end.bytesRead, written: end.bytesWritten };
    if (end.abnormal) log.warn("nbd connection closed", fields);
    else log.info("nbd connection closed", fields);
    if (end.exportName === undefined) return;
    try {
      this.opts.onDisconnect?.(peer, end.exportName, end);
    } catch (e) {
      log.error("nbd onDisconnect callback failed", { error: String(e) });
    }
  }
}

/** Wait for `p` unless `signal` aborts first; true when `p` settled. */
async function untilAborted(p: Promise<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([p.then(() => true), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

export function createNbdServer(opts: NbdServerOptions): NbdServer {
  return new NbdServer(opts);
}

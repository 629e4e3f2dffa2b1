/**
 * The DHCP socket (smee's "server"): receive, decode, ask the handler, encode, send. A packet that cannot be
 * decoded, a handler or backend failure, a failed send: each is logged and that packet dropped; the loop
 * never throws and the process never dies because of what a client sent.
 *
 * Limiting the service to walt-net. DHCP clients broadcast to 255.255.255.255 from 0.0.0.0, so the socket
 * must be bound to 0.0.0.0:67 — on Linux a socket bound to the walt-net address (or its subnet broadcast)
 * never sees limited broadcasts. Only SO_BINDTODEVICE or IP_PKTINFO would tell which interface a packet
 * came in on, and neither node:dgram nor Bun.udpSocket exposes them (model-codebases §6.2). So:
 * - in virtual-only mode and in tests the server runs inside the network namespace that holds walt-net,
 *   where walt-net is the only interface with DHCP clients: nothing else can reach the socket;
 * - on a server with other interfaces, the handler drops what shows it belongs elsewhere (a relay address or
 *   a client address outside walt-net, handler.ts `outsideWaltNet`), but a DISCOVER broadcast on another
 *   LAN looks exactly like one on walt-net and would be answered. Such servers must not run another DHCP
 *   server's clients on a shared segment, or must filter UDP 67 on the other interfaces (nftables `iifname`).
 * Replies to 255.255.255.255 follow the routing table: in a namespace without a default route they fail
 * with ENETUNREACH unless limited broadcast is routed to walt-net (`ip route add 255.255.255.255/32 dev
 * walt-net`); bench/dhcp.ts does exactly that.
 */
import dgram from "node:dgram";
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { formatMessage, parseMessage } from "./codec.ts";
import { DEFAULT_ROUTING, replyDestination, type ReplyRouting } from "./destination.ts";
import { handleMessage, type DhcpEvent, type HandlerDeps } from "./handler.ts";

export interface DhcpServiceOptions extends HandlerDeps {
  log: Logger;
  /** 0.0.0.0 (see above). */
  host?: string;
  /** 67; 0 picks a free port (tests). */
  port?: number;
  routing?: Partial<ReplyRouting>;
  /** Every decision, for the node boot timeline. A throwing listener is logged and ignored. */
  onEvent?: (e: DhcpEvent) => void;
}

export class DhcpService {
  readonly name = "dhcp";
  /** Settles when the service has stopped; rejects if the socket failed while serving. */
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private socket: dgram.Socket | undefined;
  private boundPort = 0;
  private closing = false;
  private stopping: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly routing: ReplyRouting;

  constructor(private readonly o: DhcpServiceOptions) {
    this.routing = { ...DEFAULT_ROUTING, ...o.routing };
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  }

  /** The bound UDP port (after start). */
  get port(): number {
    return this.boundPort;
  }

  /** Bind the socket. Throws a WaltError when the port is taken or needs privileges. */
  async start(): Promise<void> {
    const host = this.o.host ?? "0.0.0.0";
    const port = this.o.port ?? 67;
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind({ address: host, port, exclusive: true }, () => {
        socket.off("error", reject);
        resolve();
      });
    }).catch((e: unknown) => {
      socket.close();
      throw bindError(e, host, port);
    });
    socket.setBroadcast(true); // SO_BROADCAST: replies go to 255.255.255.255
    socket.on("message", (msg, rinfo) => this.receive(msg, rinfo.address, rinfo.port));
    socket.on("error", (e) => this.fail(e));
    this.socket = socket;
    this.boundPort = socket.address().port;
    this.o.log.info("dhcp: listening", { address: `${host}:${this.boundPort}`, serverIp: this.o.config.serverIp });
  }

  /** Stop receiving, let in-flight requests finish until `deadline` aborts, close the socket. Idempotent. */
  stop(deadline: AbortSignal): Promise<void> {
    this.stopping ??= this.stopNow(deadline);
    return this.stopping;
  }

  private async stopNow(deadline: AbortSignal): Promise<void> {
    this.closing = true;
    if (this.inflight.size > 0 && !deadline.aborted) {
      const aborted = new Promise<void>((resolve) => deadline.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([Promise.allSettled([...this.inflight]), aborted]);
    }
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.settle.resolve();
  }

  private fail(e: unknown): void {
    this.o.log.error("dhcp: socket failed", { error: e instanceof Error ? e.message : String(e) });
    this.closing = true;
    try {
      this.socket?.close();
    } catch {
      // already closed by the failure
    }
    this.socket = undefined;
    this.settle.reject(e);
  }

  private receive(msg: Buffer, address: string, port: number): void {
    if (this.closing) return;
    const p = this.serve(msg, address, port).catch((e: unknown) => {
      this.o.log.error("dhcp: request failed", { from: `${address}:${port}`, error: e instanceof Error ? e.message : String(e) });
    });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async serve(bytes: Uint8Array, address: string, port: number): Promise<void> {
    const log = this.o.log;
    const parsed = parseMessage(bytes);
    if (!parsed.ok) {
      log.debug("dhcp: packet dropped", { from: `${address}:${port}`, bytes: bytes.length, reason: parsed.reason });
      return;
    }
    const m = parsed.value;
    const decision = await handleMessage(m, this.o);
    this.emit(decision.event);
    const fields = { mac: m.chaddr, xid: m.xid.toString(16), type: m.type, ip: decision.event.ip, reason: decision.event.reason };
    if (decision.kind === "silent") {
      log.debug("dhcp: no reply", fields);
      return;
    }
    const encoded = formatMessage(decision.reply);
    if (!encoded.ok) {
      log.warn("dhcp: cannot encode reply", { ...fields, reason: encoded.reason });
      return;
    }
    const to = replyDestination(m, decision.reply.type, port, this.routing);
    log[decision.event.kind === "offer" ? "debug" : "info"](`dhcp: ${decision.event.kind}`, { ...fields, to: `${to.address}:${to.port}`, bootFile: decision.event.bootFile });
    this.send(encoded.value, to.address, to.port);
  }

  private send(bytes: Uint8Array, address: string, port: number): void {
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.send(bytes, port, address, (e) => {
        if (!e) return;
        // Limited broadcast needs a route: a namespace with no default route answers ENETUNREACH.
        const hint = address === "255.255.255.255" ? "route it to walt-net: ip route add 255.255.255.255/32 dev walt-net" : undefined;
        this.o.log.warn("dhcp: send failed", { to: `${address}:${port}`, error: e.message, hint });
      });
    } catch (e) {
      this.o.log.warn("dhcp: send failed", { to: `${address}:${port}`, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private emit(e: DhcpEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch (err) {
      this.o.log.warn("dhcp: event listener failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

function bindError(e: unknown, host: string, port: number): WaltError {
  const code = (e as { code?: unknown }).code;
  const where = `${host}:${port}/udp`;
  if (code === "EADDRINUSE") return new WaltError("UNAVAILABLE", `Cannot listen on ${where} for DHCP: the address is already in use.`, { hint: "stop the other DHCP server (dnsmasq, isc-dhcp-server) on this host", cause: e });
  if (code === "EACCES") return new WaltError("UNAVAILABLE", `Cannot listen on ${where} for DHCP: permission denied.`, { hint: "run the server as root or grant it CAP_NET_BIND_SERVICE", cause: e });
  return new WaltError("UNAVAILABLE", `Cannot listen on ${where} for DHCP: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/**
 * rpcbind's sockets: RPC over TCP (record marked) and over UDP (a call per datagram), each message answered by
 * procedures.ts against one registry. A message that is not a call is dropped and logged; a stream that breaks
 * record marking is closed; neither touches the other sockets.
 */
import type { Socket, TCPSocketListener, udp } from "bun";
import type { Logger } from "../../../src/log.ts";
import { type CallContext, handleMessage } from "./procedures.ts";
import { RpcbindRegistry } from "./registry.ts";
import { frameRecord, RecordReader } from "./rpc.ts";

/** rpcbind's calls are a few hundred bytes; a bigger record is a broken or hostile peer. */
const MAX_RECORD = 64 * 1024;

export interface Endpoint {
  host: string;
  /** 111 in service; 0 picks a free port (tests), read back from `ports`. */
  port: number;
}

export interface RpcbindServerOptions {
  tcp: readonly Endpoint[];
  udp: readonly Endpoint[];
  log: Logger;
  registry?: RpcbindRegistry;
  nowS?: () => number;
}

const isLoopback = (a: string): boolean => a === "::1" || /^(::ffff:)?127\./.test(a);
const netidOf = (proto: "tcp" | "udp", host: string): string => (host.includes(":") ? `${proto}6` : proto);

export class RpcbindServer {
  readonly registry: RpcbindRegistry;
  private readonly tcp: TCPSocketListener<RecordReader>[] = [];
  private readonly udp: udp.Socket<"uint8array">[] = [];
  private readonly conns = new Set<Socket<RecordReader>>();

  constructor(private readonly o: RpcbindServerOptions) {
    this.registry = o.registry ?? new RpcbindRegistry();
  }

  /** Bound ports, TCP endpoints first, in the order given. */
  get ports(): number[] {
    return [...this.tcp.map((l) => l.port), ...this.udp.map((s) => s.port)];
  }

  private context(local: string, peer: string, proto: "tcp" | "udp"): CallContext {
    return { local: isLoopback(peer), netid: netidOf(proto, local), localHost: local, nowS: this.o.nowS ?? (() => Date.now() / 1000) };
  }

  private answer(message: Uint8Array, ctx: CallContext, peer: string): Uint8Array | undefined {
    const h = handleMessage(message, this.registry, ctx);
    if ("drop" in h) {
      this.o.log.warn("rpcbind: message dropped", { peer, reason: h.drop });
      return undefined;
    }
    if (h.note !== undefined) this.o.log.debug("rpcbind: call refused", { peer, why: h.note });
    return h.reply;
  }

  /**
   * Bind every endpoint it can; the ones that could not be bound come back with the reason (EADDRINUSE when the
   * system's rpcbind holds port 111, EADDRNOTAVAIL for ::1 without IPv6), for the caller to judge.
   */
  async start(): Promise<{ proto: "tcp" | "udp"; endpoint: Endpoint; error: string }[]> {
    const failed: { proto: "tcp" | "udp"; endpoint: Endpoint; error: string }[] = [];
    const attempt = async (proto: "tcp" | "udp", endpoint: Endpoint, bind: () => Promise<void>): Promise<void> => {
      try {
        await bind();
      } catch (e) {
        failed.push({ proto, endpoint, error: (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e)) });
      }
    };
    for (const e of this.o.tcp) await attempt("tcp", e, async () => void this.tcp.push(this.listenTcp(e)));
    for (const e of this.o.udp) await attempt("udp", e, async () => void this.udp.push(await this.bindUdp(e)));
    return failed;
  }

  private listenTcp(e: Endpoint): TCPSocketListener<RecordReader> {
    return Bun.listen<RecordReader>({
      hostname: e.host,
      port: e.port,
      socket: {
        open: (s) => {
          s.data = new RecordReader(MAX_RECORD);
          this.conns.add(s);
        },
        data: (s, chunk) => {
          const got = s.data.push(chunk);
          if ("error" in got) {
            this.o.log.warn("rpcbind: connection closed", { peer: s.remoteAddress, reason: got.error });
            s.end();
            return;
          }
          for (const m of got.records) {
            const reply = this.answer(m, this.context(e.host, s.remoteAddress, "tcp"), s.remoteAddress);
            if (reply !== undefined) s.write(frameRecord(reply));
          }
        },
        close: (s) => void this.conns.delete(s),
        error: (s, err) => this.o.log.debug("rpcbind: socket error", { peer: s.remoteAddress, error: err.message }),
      },
    });
  }

  private async bindUdp(e: Endpoint): Promise<udp.Socket<"uint8array">> {
    return Bun.udpSocket({
      hostname: e.host,
      port: e.port,
      binaryType: "uint8array",
      socket: {
        data: (s, data, port, address) => {
          const reply = this.answer(data, this.context(e.host, address, "udp"), address);
          if (reply !== undefined) s.send(reply, port, address);
        },
        error: (_s, err: unknown) => this.o.log.debug("rpcbind: udp socket error", { error: String(err) }),
      },
    });
  }

  private close(): void {
    for (const l of this.tcp.splice(0)) l.stop(true);
    for (const s of this.udp.splice(0)) s.close();
    for (const c of this.conns) c.end();
    this.conns.clear();
  }

  /** Stop answering; calls are single exchanges, so there is nothing to wait for. Idempotent. */
  stop(): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

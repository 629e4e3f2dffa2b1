/**
 * A minimal TFTP client for tests: a UDP peer that can be scripted datagram by datagram, and `tftpGet`, a
 * read with options (blksize, tsize, windowsize) that behaves like an RFC 7440 receiver: it ACKs once per
 * window, ACKs the last in-order block when it sees a gap, and re-sends its last ACK when nothing arrives.
 */
import type { udp } from "bun";
import { concatBytes } from "../../src/bytes.ts";
import { Wakeup } from "../../src/wakeup.ts";
import { decodePacket, encodePacket, type TftpPacket } from "../../server/tftp/packet.ts";

export interface Datagram {
  data: Uint8Array;
  port: number;
  packet: TftpPacket | null;
}

/** One UDP socket on 127.0.0.1 with a queue of what it received. */
export class UdpPeer {
  private readonly inbox: Datagram[] = [];
  private readonly arrived = new Wakeup();
  private constructor(private sock: udp.Socket<"uint8array"> | null) {}

  static async open(host = "127.0.0.1"): Promise<UdpPeer> {
    const peer = new UdpPeer(null);
    peer.sock = await Bun.udpSocket({
      hostname: host,
      port: 0,
      binaryType: "uint8array",
      socket: {
        data: (_s, data, port) => {
          const d = decodePacket(data);
          peer.inbox.push({ data: data.slice(), port, packet: d.ok ? d.packet : null });
          peer.arrived.wake();
        },
        // ICMP port unreachable (nobody listening yet): the caller sees it as a missing answer.
        error: () => undefined,
      },
    });
    return peer;
  }

  get port(): number {
    return this.sock?.port ?? 0;
  }

  send(bytes: Uint8Array | TftpPacket, port: number, host = "127.0.0.1"): void {
    this.sock?.send(bytes instanceof Uint8Array ? bytes : encodePacket(bytes), port, host);
  }

  /** The next datagram, or null after `timeoutMs`. */
  async next(timeoutMs = 2000): Promise<Datagram | null> {
    const deadline = performance.now() + timeoutMs;
    while (this.inbox.length === 0) {
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await this.arrived.sleep(left);
    }
    return this.inbox.shift() ?? null;
  }

  close(): void {
    this.sock?.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

export interface GetOptions {
  port: number;
  host?: string;
  path: string;
  mode?: "octet" | "netascii";
  options?: Record<string, string | number>;
  /** Wait before re-sending the last packet. */
  timeoutMs?: number;
  retries?: number;
  /** Absolute block numbers whose first arrival is thrown away, to simulate loss. */
  dropOnce?: readonly number[];
}

export type GetResult =
  | { ok: true; data: Uint8Array; oack: Record<string, string> | null; tid: number; blocks: number }
  | { ok: false; code: number; message: string; oack: Record<string, string> | null };

/** Read a file. Resolves with its bytes or the server's ERROR; rejects when the server stops answering. */
export async function tftpGet(o: GetOptions): Promise<GetResult> {
  using peer = await UdpPeer.open();
  const host = o.host ?? "127.0.0.1";
  const options = Object.entries(o.options ?? {}).map(([name, value]) => ({ name, value: String(value) }));
  let last: TftpPacket = { op: "rrq", filename: o.path, mode: o.mode ?? "octet", options };
  let lastPort = o.port;
  peer.send(last, lastPort, host);
  let tid = 0;
  let oack: Record<string, string> | null = null;
  let blksize = 512;
  let windowsize = 1;
  let expected = 1; // absolute number of the next block
  let inWindow = 0;
  let gapAcked = false;
  const chunks: Uint8Array[] = [];
  const drop = new Set(o.dropOnce ?? []);
  for (let tries = 0; ; ) {
    const d = await peer.next(o.timeoutMs ?? 1000);
    if (!d) {
      if (++tries > (o.retries ?? 5)) throw new Error(`tftpGet ${o.path}: no answer after ${tries - 1} retries`);
      peer.send(last, lastPort, host);
      continue;
    }
    if (tid !== 0 && d.port !== tid) {
      peer.send({ op: "error", code: 5, message: "Unknown transfer ID" }, d.port, host);
      continue;
    }
    const p = d.packet;
    if (!p) continue;
    tid = d.port;
    tries = 0;
    if (p.op === "error") return { ok: false, code: p.code, message: p.message, oack };
    if (p.op === "oack" && expected === 1) {
      oack = Object.fromEntries(p.options.map((x) => [x.name.toLowerCase(), x.value]));
      blksize = Number(oack["blksize"] ?? 512);
      windowsize = Number(oack["windowsize"] ?? 1);
      last = { op: "ack", block: 0 };
      lastPort = tid;
      peer.send(last, tid, host);
      continue;
    }
    if (p.op !== "data") continue;
    lastPort = tid;
    if (p.block === expected % 65536 && drop.delete(expected)) continue;
    if (p.block !== expected % 65536) {
      // A gap or a duplicate: tell the sender where we are, once until the next in-order block.
      if (!gapAcked) peer.send({ op: "ack", block: (expected - 1) % 65536 }, tid, host);
      gapAcked = true;
      continue;
    }
    gapAcked = false;
    chunks.push(p.data.slice());
    expected++;
    inWindow++;
    const final = p.data.length < blksize;
    if (final || inWindow >= windowsize) {
      last = { op: "ack", block: p.block };
      peer.send(last, tid, host);
      inWindow = 0;
    }
    if (final) return { ok: true, data: concatBytes(chunks), oack, tid, blocks: expected - 1 };
  }
}


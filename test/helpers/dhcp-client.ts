/**
 * A tiny DHCP client for protocol tests: a UDP socket on 127.0.0.1, requests encoded with the server's codec,
 * replies matched by xid. UDP loses packets, so a request is resent until answered or the deadline passes
 * (model-codebases §4.14: never sleep, resend until answered). The server under test must send its replies
 * to 127.0.0.1 and to the port the request came from (`routing: { broadcastAddress: "127.0.0.1",
 * clientPort: "source" }`).
 */
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatMessage, parseMessage, type DhcpMessage, type OutgoingMessage, type OutgoingOptions } from "../../server/dhcp/codec.ts";
import { FLAG_BROADCAST, OPT, type MessageType } from "../../server/dhcp/options.ts";

/** Bytes of `test/fixtures/dhcp/<name>.hex` (hex with `#` comments). */
export function loadDhcpFixture(name: string): Uint8Array {
  const text = readFileSync(join(import.meta.dir, "..", "fixtures", "dhcp", `${name}.hex`), "utf8");
  return Uint8Array.from(Buffer.from(text.replace(/#.*$/gm, "").replace(/\s+/g, ""), "hex"));
}

/** What a test client says about itself. */
export interface ClientIdentity {
  mac: string;
  userClass?: string;
  vendorClass?: string;
  hostname?: string;
  clientArch?: number;
}

export class DhcpTestClient {
  private readonly waiting = new Map<number, (m: DhcpMessage) => void>();
  /** Every decoded reply, in arrival order. */
  readonly replies: DhcpMessage[] = [];
  private nextXid = Math.floor(Math.random() * 0x7fffffff);

  private constructor(
    private readonly socket: dgram.Socket,
    readonly server: { address: string; port: number },
  ) {
    socket.on("message", (bytes) => {
      const r = parseMessage(bytes);
      if (!r.ok) return;
      this.replies.push(r.value);
      this.waiting.get(r.value.xid)?.(r.value);
    });
  }

  static async open(server: { address?: string; port: number }): Promise<DhcpTestClient> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    return new DhcpTestClient(socket, { address: server.address ?? "127.0.0.1", port: server.port });
  }

  get port(): number {
    return this.socket.address().port;
  }

  xid(): number {
    return (this.nextXid = (this.nextXid + 1) >>> 0);
  }

  /** Send raw bytes once (garbage, fixtures). */
  sendRaw(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(bytes, this.server.port, this.server.address, (e) => (e ? reject(e) : resolve())));
  }

  /**
   * Send `bytes` (whose xid is `xid`) every `everyMs` until a reply with that xid (and one of the `want`
   * types, when given: a late OFFER to a resent DISCOVER must not answer the REQUEST) arrives.
   */
  async exchange(bytes: Uint8Array, xid: number, want?: readonly MessageType[], timeoutMs = 5000, everyMs = 200): Promise<DhcpMessage> {
    const reply = new Promise<DhcpMessage>((resolve) =>
      this.waiting.set(xid, (m) => {
        if (want === undefined || (m.type !== undefined && want.includes(m.type))) resolve(m);
      }),
    );
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        await this.sendRaw(bytes);
        const got = await Promise.race([reply, Bun.sleep(Math.min(everyMs, Math.max(0, deadline - Date.now()))).then(() => undefined)]);
        if (got) return got;
        if (Date.now() >= deadline) throw new Error(`no DHCP reply for xid ${xid.toString(16)} within ${timeoutMs} ms`);
      }
    } finally {
      this.waiting.delete(xid);
    }
  }

  /** Build a request from this client. */
  request(type: MessageType, who: ClientIdentity, xid: number, options: OutgoingOptions = {}, ciaddr?: string): Uint8Array {
    const m: OutgoingMessage = {
      op: 1,
      type,
      xid,
      flags: FLAG_BROADCAST,
      chaddr: who.mac,
      ...(ciaddr === undefined ? {} : { ciaddr }),
      options: {
        parameterList: [OPT.SUBNET_MASK, OPT.ROUTERS, OPT.HOST_NAME, OPT.DOMAIN_NAME, OPT.VENDOR_CLASS, OPT.TFTP_SERVER, OPT.BOOT_FILE],
        ...(who.userClass === undefined ? {} : { userClass: who.userClass }),
        ...(who.vendorClass === undefined ? {} : { vendorClass: who.vendorClass }),
        ...(who.hostname === undefined ? {} : { hostname: who.hostname }),
        ...(who.clientArch === undefined ? {} : { clientArch: who.clientArch }),
        ...options,
      },
    };
    const r = formatMessage(m);
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  }

  /** DISCOVER → OFFER → REQUEST (selecting the offer) → ACK or NAK. */
  async dora(who: ClientIdentity, timeoutMs = 5000): Promise<{ offer: DhcpMessage; ack: DhcpMessage }> {
    const xid = this.xid();
    const offer = await this.exchange(this.request("DISCOVER", who, xid), xid, ["OFFER"], timeoutMs);
    if (offer.type !== "OFFER") throw new Error(`expected an OFFER, got ${offer.type ?? "BOOTP"}`);
    const req = this.request("REQUEST", who, xid, { requestedIp: offer.yiaddr, ...(offer.serverId ? { serverId: offer.serverId } : {}) });
    const ack = await this.exchange(req, xid, ["ACK", "NAK"], timeoutMs);
    return { offer, ack };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * DHCP load generator, run by bench/dhcp.ts inside its client namespace: `count` clients (MACs
 * 02:be:<index>) each do DISCOVER → OFFER → REQUEST → ACK against whatever server answers on the link,
 * `window` transactions at a time, resending after `resendMs` without answer. Sends from 0.0.0.0:68 to
 * 255.255.255.255:67 with the broadcast bit set, as a PXE ROM does; prints one JSON line of results.
 * Usage: dhcp-load.ts <count> <window> [timeoutS]
 */
import dgram from "node:dgram";
import { formatMessage, parseMessage, type DhcpMessage, type OutgoingMessage } from "../server/dhcp/codec.ts";
import { FLAG_BROADCAST, PXE_UNDI_VCI } from "../server/dhcp/options.ts";

const count = Number(process.argv[2] ?? 1000);
const window = Number(process.argv[3] ?? 32);
const timeoutS = Number(process.argv[4] ?? 60);
const resendMs = 1000;

interface Tx {
  mac: string;
  xid: number;
  state: "discover" | "request" | "done";
  bytes: Uint8Array;
  sentAt: number;
  ip?: string;
}

const mac = (i: number): string => ["02", "be", ...[24, 16, 8, 0].map((s) => ((i >>> s) & 255).toString(16).padStart(2, "0"))].join(":");
const encode = (m: OutgoingMessage): Uint8Array => {
  const r = formatMessage(m);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const discover = (t: Tx): Uint8Array =>
  encode({ op: 1, type: "DISCOVER", xid: t.xid, flags: FLAG_BROADCAST, chaddr: t.mac, options: { vendorClass: PXE_UNDI_VCI, clientArch: 0, parameterList: [1, 3, 12, 43, 60, 66, 67] } });
const request = (t: Tx, offer: DhcpMessage): Uint8Array =>
  encode({
    op: 1,
    type: "REQUEST",
    xid: t.xid,
    flags: FLAG_BROADCAST,
    chaddr: t.mac,
    options: { vendorClass: PXE_UNDI_VCI, clientArch: 0, requestedIp: offer.yiaddr, ...(offer.serverId ? { serverId: offer.serverId } : {}), parameterList: [1, 3, 12, 43, 60, 66, 67] },
  });

const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
await new Promise<void>((resolve) => socket.bind(68, "0.0.0.0", () => resolve()));
socket.setBroadcast(true);

const byXid = new Map<number, Tx>();
const ips = new Set<string>();
let next = 0;
let done = 0;
let resends = 0;
let naks = 0;
const send = (t: Tx): void => {
  t.sentAt = performance.now();
  socket.send(t.bytes, 67, "255.255.255.255");
};
const startOne = (): void => {
  if (next >= count) return;
  const i = next++;
  const t: Tx = { mac: mac(i), xid: (0x5a000000 + i) >>> 0, state: "discover", bytes: new Uint8Array(), sentAt: 0 };
  t.bytes = discover(t);
  byXid.set(t.xid, t);
  send(t);
};

let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
socket.on("message", (b) => {
  const r = parseMessage(b);
  if (!r.ok || r.value.op !== 2) return;
  const m = r.value;
  const t = byXid.get(m.xid);
  if (!t || t.mac !== m.chaddr) return;
  if (t.state === "discover" && m.type === "OFFER") {
    t.state = "request";
    t.bytes = request(t, m);
    send(t);
  } else if (t.state === "request" && m.type === "ACK") {
    t.state = "done";
    ips.add(m.yiaddr);
    byXid.delete(t.xid);
    if (++done === count) finish();
    startOne();
  } else if (t.state === "request" && m.type === "NAK") {
    naks++;
    t.state = "discover";
    t.bytes = discover(t);
    send(t);
  }
});

const t0 = performance.now();
for (let i = 0; i < Math.min(window, count); i++) startOne();
const timer = setInterval(() => {
  const now = performance.now();
  for (const t of byXid.values()) {
    if (now - t.sentAt > resendMs) {
      resends++;
      send(t);
    }
  }
  if (now - t0 > timeoutS * 1000) finish();
}, 100);
await finished;
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
socket.close();
process.stdout.write(JSON.stringify({ count, done, seconds, perSecond: done / seconds, resends, naks, distinctIps: ips.size }) + "\n");

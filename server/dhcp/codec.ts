/**
 * DHCP packet codec: npm `dhcp@0.2.20`'s parse/format (lib/protocol.js), wrapped so that nothing it throws
 * escapes: every call returns `{ ok: true, value }` or `{ ok: false, reason }`. Only the codec of that package
 * is used; its Server class dies on iPXE's parameter request list (machine-facts) and is never loaded.
 * Byte-level sanity checks the library lacks live in wire.ts.
 */
import protocol, { type DhcpJsOptionValue } from "dhcp/lib/protocol.js";
import dhcpOptions from "dhcp/lib/options.js";
import { normalizeMac } from "../../src/domain/net.ts";
import { FLAG_BROADCAST, HEADER_LEN, MAGIC_COOKIE, MIN_PACKET_LEN, OPT, messageTypeCode, messageTypeOf, type MessageType } from "./options.ts";
import { encodeOptions, lengthFitsType, messageTypeFirst, scanOptions } from "./wire.ts";
import { libOptions, type OutgoingOptions } from "./outgoing-options.ts";

export type { OutgoingOptions };

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A decoded BOOTP/DHCP message (RFC 2131 §2) with the options this server looks at. */
export interface DhcpMessage {
  /** 1 = BOOTREQUEST, 2 = BOOTREPLY. */
  op: 1 | 2;
  xid: number;
  secs: number;
  flags: number;
  /** The broadcast bit of `flags`. */
  broadcast: boolean;
  hops: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client MAC, normalised (`aa:bb:cc:dd:ee:ff`). */
  chaddr: string;
  sname: string;
  file: string;
  /** Option 53; undefined for plain BOOTP or an out-of-range value. */
  type: MessageType | undefined;
  requestedIp: string | undefined; // 50
  serverId: string | undefined; // 54
  parameterList: number[]; // 55
  vendorClass: string | undefined; // 60
  /** Option 77: raw text as iPXE sends it, or the first RFC 3004 instance. */
  userClass: string | undefined;
  /** Option 93 (RFC 4578), first listed architecture. */
  clientArch: number | undefined;
  hostname: string | undefined; // 12
  uuid: Uint8Array | undefined; // 97
  /** Option 175 is present: the client is iPXE (it announces its features there). */
  ipxeEncapsulated: boolean;
  /** Codes of well-framed options this codec does not decode (kept for diagnostics). */
  otherOptions: number[];
}

/** What the server sends (and what the test client sends): header fields plus typed options. */
export interface OutgoingMessage {
  op: 1 | 2;
  type: MessageType;
  xid: number;
  flags?: number;
  secs?: number;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  giaddr?: string;
  chaddr: string;
  sname?: string;
  file?: string;
  options: OutgoingOptions;
}


/**
 * Options npm dhcp@0.2.20 does not know (machine-facts). Registered in its shared table before each use;
 * the definitions are constant, so registering again changes nothing.
 */
function ensureExtraOptions(): void {
  const o = dhcpOptions.opts;
  if (o[OPT.USER_CLASS] && o[OPT.CLIENT_ARCH] && o[OPT.CLIENT_UUID] && o[OPT.IPXE_ENCAP]) return;
  dhcpOptions.addOption(OPT.USER_CLASS, { name: "User Class", type: "UInt8s", attr: "userClass" });
  dhcpOptions.addOption(OPT.CLIENT_ARCH, { name: "Client System Architecture", type: "UInt16s", attr: "clientArch" });
  dhcpOptions.addOption(OPT.CLIENT_UUID, { name: "Client UUID", type: "UInt8s", attr: "clientUUID" });
  dhcpOptions.addOption(OPT.IPXE_ENCAP, { name: "iPXE encapsulated options", type: "UInt8s", attr: "ipxeEncap" });
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Decode a datagram. Never throws. */
export function parseMessage(bytes: Uint8Array): Result<DhcpMessage> {
  try {
    return parseChecked(bytes);
  } catch (e) {
    return { ok: false, reason: `undecodable packet: ${why(e)}` };
  }
}

function parseChecked(bytes: Uint8Array): Result<DhcpMessage> {
  if (bytes.length < HEADER_LEN) return { ok: false, reason: `truncated packet: ${bytes.length} bytes, the header needs ${HEADER_LEN}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(236) !== MAGIC_COOKIE) return { ok: false, reason: "no DHCP magic cookie (plain BOOTP or not DHCP)" };
  const op = bytes[0];
  if (op !== 1 && op !== 2) return { ok: false, reason: `invalid op ${op}` };
  if (bytes[1] !== 1 || bytes[2] !== 6) return { ok: false, reason: `unsupported hardware type ${bytes[1]}/length ${bytes[2]} (Ethernet only)` };
  const scan = scanOptions(bytes, HEADER_LEN);
  if (!scan.ok) return scan;

  ensureExtraOptions();
  const kept: [number, Uint8Array][] = [];
  const otherOptions: number[] = [];
  for (const [code, value] of scan.options) {
    const def = dhcpOptions.opts[code];
    if (value.length <= 255 && def && lengthFitsType(def.type, value.length)) kept.push([code, value]);
    else otherOptions.push(code);
  }
  const clean = Buffer.concat([bytes.subarray(0, HEADER_LEN), encodeOptions(kept)]);
  const p = protocol.parse(clean);
  const o = p.options;
  const mac = normalizeMac(p.chaddr);
  if (mac === undefined) return { ok: false, reason: `invalid client hardware address ${p.chaddr}` };
  const rawUc = o[OPT.USER_CLASS];
  const arch = o[OPT.CLIENT_ARCH];
  const uuid = o[OPT.CLIENT_UUID];
  const mt = o[OPT.MESSAGE_TYPE];
  return {
    ok: true,
    value: {
      op,
      xid: p.xid,
      secs: p.secs,
      flags: p.flags,
      broadcast: (p.flags & FLAG_BROADCAST) !== 0,
      hops: p.hops,
      ciaddr: p.ciaddr,
      yiaddr: p.yiaddr,
      siaddr: p.siaddr,
      giaddr: p.giaddr,
      chaddr: mac,
      sname: p.sname,
      file: p.file,
      type: typeof mt === "number" ? messageTypeOf(mt) : undefined,
      requestedIp: str(o[OPT.REQUESTED_IP]),
      serverId: str(o[OPT.SERVER_ID]),
      parameterList: Array.isArray(o[OPT.PARAMETER_LIST]) ? (o[OPT.PARAMETER_LIST] as number[]) : [],
      vendorClass: str(o[OPT.VENDOR_CLASS]),
      userClass: Array.isArray(rawUc) ? decodeUserClass(Uint8Array.from(rawUc as number[])) : undefined,
      clientArch: Array.isArray(arch) ? (arch as number[])[0] : undefined,
      hostname: str(o[OPT.HOST_NAME]),
      uuid: Array.isArray(uuid) ? Uint8Array.from(uuid as number[]) : undefined,
      ipxeEncapsulated: o[OPT.IPXE_ENCAP] !== undefined,
      otherOptions,
    },
  };
}

const str = (v: DhcpJsOptionValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Option 77 text. iPXE and WALT's scripts send the class as plain text ("iPXE", "walt.node.pc-x86-64");
 * RFC 3004 clients send length-prefixed instances: when the bytes parse exactly as such, the first is used.
 */
export function decodeUserClass(b: Uint8Array): string | undefined {
  const instances: Uint8Array[] = [];
  for (let i = 0; i < b.length; ) {
    const len = b[i] ?? 0;
    if (len === 0 || i + 1 + len > b.length) {
      instances.length = 0;
      break;
    }
    instances.push(b.subarray(i + 1, i + 1 + len));
    i += 1 + len;
  }
  const text = (x: Uint8Array): string => Buffer.from(x).toString("latin1").replace(/\0.*$/s, "");
  const v = text(instances[0] ?? b);
  return v === "" ? undefined : v;
}

/** Encode a message. Never throws: bad addresses or oversize values give `{ ok: false }`. */
export function formatMessage(m: OutgoingMessage): Result<Uint8Array> {
  try {
    const options = libOptions(m.options);
    if (typeof options === "string") return { ok: false, reason: options };
    ensureExtraOptions();
    const sb = protocol.format({
      op: m.op,
      htype: 1,
      hlen: 6,
      hops: 0,
      xid: m.xid >>> 0,
      secs: m.secs ?? 0,
      flags: m.flags ?? 0,
      ciaddr: m.ciaddr ?? "0.0.0.0",
      yiaddr: m.yiaddr ?? "0.0.0.0",
      siaddr: m.siaddr ?? "0.0.0.0",
      giaddr: m.giaddr ?? "0.0.0.0",
      chaddr: m.chaddr,
      sname: m.sname ?? "",
      file: m.file ?? "",
      options,
    });
    const bytes = new Uint8Array(sb._data.buffer, sb._data.byteOffset, sb._w);
    return { ok: true, value: messageTypeFirst(bytes, HEADER_LEN, messageTypeCode(m.type), MIN_PACKET_LEN) };
  } catch (e) {
    return { ok: false, reason: `cannot encode ${m.type}: ${why(e)}` };
  }
}

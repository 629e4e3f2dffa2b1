/**
 * TFTP packet codec (RFC 1350, with the option extension of RFC 2347). Pure: bytes in, values out.
 *
 * `decodePacket` never throws: anything a client can send (truncated packets, strings without their NUL,
 * unknown opcodes, modes other than netascii/octet, an option named twice) comes back as `{ok:false, reason}`
 * so the server can log the reason and drop the datagram.
 */

export const OPCODE = { rrq: 1, wrq: 2, data: 3, ack: 4, error: 5, oack: 6 } as const;
export type Op = keyof typeof OPCODE;

/** Error codes of RFC 1350 §5 and RFC 2347 (8). */
export const TFTP_ERROR = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTid: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionRefused: 8,
} as const;

/** "mail" (RFC 1350) is obsolete and refused, like tftpd-hpa does. */
export type Mode = "netascii" | "octet";

/** One option as it travels: names are compared case-insensitively but echoed as the client spelled them. */
export interface TftpOption {
  name: string;
  value: string;
}

export type TftpPacket =
  | { op: "rrq" | "wrq"; filename: string; mode: Mode; options: TftpOption[] }
  | { op: "data"; block: number; data: Uint8Array }
  | { op: "ack"; block: number }
  | { op: "error"; code: number; message: string }
  | { op: "oack"; options: TftpOption[] };

export type DecodeResult = { ok: true; packet: TftpPacket } | { ok: false; reason: string };

/** Big-endian 16-bit read (no DataView: this runs for every ACK). */
const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Decode one datagram. */
export function decodePacket(bytes: Uint8Array): DecodeResult {
  if (bytes.length < 2) return { ok: false, reason: `datagram of ${bytes.length} byte(s) has no opcode` };
  const opcode = u16(bytes, 0);
  switch (opcode) {
    case OPCODE.rrq:
    case OPCODE.wrq:
      return decodeRequest(opcode === OPCODE.rrq ? "rrq" : "wrq", bytes);
    case OPCODE.data:
      if (bytes.length < 4) return { ok: false, reason: "DATA shorter than its 4-byte header" };
      return { ok: true, packet: { op: "data", block: u16(bytes, 2), data: bytes.subarray(4) } };
    case OPCODE.ack:
      // Trailing bytes are tolerated: only the block number matters and some stacks pad small datagrams.
      if (bytes.length < 4) return { ok: false, reason: "ACK shorter than 4 bytes" };
      return { ok: true, packet: { op: "ack", block: u16(bytes, 2) } };
    case OPCODE.error: {
      if (bytes.length < 4) return { ok: false, reason: "ERROR shorter than its 4-byte header" };
      const msg = readStrings(bytes, 4);
      if (!msg.ok) return msg;
      if (msg.strings.length !== 1) return { ok: false, reason: "ERROR must carry exactly one message string" };
      return { ok: true, packet: { op: "error", code: u16(bytes, 2), message: msg.strings[0] ?? "" } };
    }
    case OPCODE.oack: {
      const opts = readOptions(bytes, 2);
      return opts.ok ? { ok: true, packet: { op: "oack", options: opts.options } } : opts;
    }
    default:
      return { ok: false, reason: `unknown opcode ${opcode}` };
  }
}

function decodeRequest(op: "rrq" | "wrq", bytes: Uint8Array): DecodeResult {
  const head = readStrings(bytes, 2, 2);
  if (!head.ok) return head;
  const [filename = "", modeText = ""] = head.strings;
  if (filename === "") return { ok: false, reason: `${op.toUpperCase()} with an empty filename` };
  const mode = modeText.toLowerCase();
  if (mode !== "octet" && mode !== "netascii") return { ok: false, reason: `unsupported transfer mode ${JSON.stringify(modeText)}` };
  const opts = readOptions(bytes, head.end);
  if (!opts.ok) return opts;
  return { ok: true, packet: { op, filename, mode, options: opts.options } };
}

type StringsResult = { ok: true; strings: string[]; end: number } | { ok: false; reason: string };

/** Read NUL-terminated UTF-8 strings from `start`, at most `max` of them (all of them when omitted). */
function readStrings(bytes: Uint8Array, start: number, max = Infinity): StringsResult {
  const strings: string[] = [];
  let at = start;
  while (at < bytes.length && strings.length < max) {
    const nul = bytes.indexOf(0, at);
    if (nul < 0) return { ok: false, reason: `string at byte ${at} has no terminating NUL` };
    try {
      strings.push(utf8.decode(bytes.subarray(at, nul)));
    } catch {
      return { ok: false, reason: `string at byte ${at} is not valid UTF-8` };
    }
    at = nul + 1;
  }
  if (strings.length < max && max !== Infinity) return { ok: false, reason: `truncated: expected ${max} strings, found ${strings.length}` };
  return { ok: true, strings, end: at };
}

type OptionsResult = { ok: true; options: TftpOption[] } | { ok: false; reason: string };

/**
 * Option name/value pairs up to the end of the datagram. Empty strings where a name would start are NUL padding
 * and are tolerated (a boot ROM padding its request must still boot); an empty name followed by a value is not.
 */
function readOptions(bytes: Uint8Array, start: number): OptionsResult {
  const list = readStrings(bytes, start);
  if (!list.ok) return list;
  const strings = list.strings;
  let end = strings.length;
  while (end > 0 && strings[end - 1] === "") end--;
  if (end % 2 !== 0 && end < strings.length) end++; // that empty string is the value of the last name
  if (end % 2 !== 0) return { ok: false, reason: `option ${JSON.stringify(strings[end - 1])} has no value` };
  const options: TftpOption[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < end; i += 2) {
    const name = strings[i] ?? "";
    const value = strings[i + 1] ?? "";
    if (name === "") return { ok: false, reason: "option with an empty name" };
    const key = name.toLowerCase();
    if (seen.has(key)) return { ok: false, reason: `option ${JSON.stringify(name)} given twice` };
    seen.add(key);
    options.push({ name, value });
  }
  return { ok: true, options };
}

/** Encode one packet. Strings must not contain NUL (the server only encodes strings it built). */
export function encodePacket(p: TftpPacket): Uint8Array {
  switch (p.op) {
    case "rrq":
    case "wrq":
      return withStrings(OPCODE[p.op], [p.filename, p.mode, ...p.options.flatMap((o) => [o.name, o.value])]);
    case "data":
      return encodeData(p.block, p.data);
    case "ack": {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint16(0, OPCODE.ack);
      new DataView(out.buffer).setUint16(2, p.block & 0xffff);
      return out;
    }
    case "error":
      return withStrings(OPCODE.error, [p.message], p.code);
    case "oack":
      return withStrings(OPCODE.oack, p.options.flatMap((o) => [o.name, o.value]));
  }
}

/** A DATA packet: 4-byte header then the block's bytes. */
export function encodeData(block: number, data: Uint8Array): Uint8Array {
  return writeData(new Uint8Array(4 + data.length), block, data);
}

/** Write a DATA packet into `buf` (at least 4 + data.length bytes) and return the view holding it (the hot path). */
export function writeData(buf: Uint8Array, block: number, data: Uint8Array): Uint8Array {
  buf[0] = 0;
  buf[1] = OPCODE.data;
  buf[2] = (block >> 8) & 0xff;
  buf[3] = block & 0xff;
  buf.set(data, 4);
  return buf.length === 4 + data.length ? buf : buf.subarray(0, 4 + data.length);
}

function withStrings(opcode: number, strings: readonly string[], code?: number): Uint8Array {
  const parts = strings.map((s) => encoder.encode(s));
  const head = code === undefined ? 2 : 4;
  const out = new Uint8Array(head + parts.reduce((n, s) => n + s.length + 1, 0));
  const view = new DataView(out.buffer);
  view.setUint16(0, opcode);
  if (code !== undefined) view.setUint16(2, code);
  let at = head;
  for (const s of parts) {
    out.set(s, at);
    at += s.length + 1;
  }
  return out;
}

/**
 * Byte-level checks around npm `dhcp`'s codec, which trusts its input: it reads past option boundaries when
 * a length is wrong, skips two bytes for every PAD (its `getOptions` does `_r++` after reading the pad), and
 * prints "Option N not known" on the console for every option it lacks. Before handing a packet to it we walk
 * the options ourselves (RFC 2132 §2), refuse lengths that overrun the packet, drop PADs, merge repeated codes
 * (RFC 3396) and keep only options whose length fits the library's type for that code.
 */
import { concatBytes } from "../../src/bytes.ts";
import { OPT } from "./options.ts";

/** Options of a packet, in wire order, each code once (repeated codes concatenated, RFC 3396). */
export type RawOptions = Map<number, Uint8Array>;

export type ScanResult = { ok: true; options: RawOptions } | { ok: false; reason: string };

/** Walk the TLV options starting at `start`. An END is not required if the options fill the packet exactly. */
export function scanOptions(bytes: Uint8Array, start: number): ScanResult {
  const parts = new Map<number, Uint8Array[]>();
  let i = start;
  while (i < bytes.length) {
    const code = bytes[i] ?? OPT.END;
    if (code === OPT.END) break;
    if (code === OPT.PAD) {
      i++;
      continue;
    }
    const len = bytes[i + 1];
    if (len === undefined) return { ok: false, reason: `option ${code} has no length byte` };
    if (i + 2 + len > bytes.length) return { ok: false, reason: `option ${code} length ${len} overruns the packet` };
    const list = parts.get(code) ?? [];
    list.push(bytes.subarray(i + 2, i + 2 + len));
    parts.set(code, list);
    i += 2 + len;
  }
  const options: RawOptions = new Map();
  for (const [code, list] of parts) options.set(code, list.length === 1 && list[0] ? list[0] : concatBytes(list));
  return { ok: true, options };
}

/** Whether an option value of `len` bytes can be decoded as the library type `type` without misreading. */
export function lengthFitsType(type: string | undefined, len: number): boolean {
  switch (type) {
    case "IP":
    case "UInt32":
    case "Int32":
      return len === 4;
    case "IPs":
      return len > 0 && len % 4 === 0;
    case "UInt8":
    case "Int8":
      return len === 1;
    case "UInt16":
    case "Int16":
      return len === 2;
    case "UInt16s":
      return len % 2 === 0;
    case "UInt8s":
    case "ASCII":
    case "UTF8":
      return true;
    case "Bool":
      return len === 0; // the library's getBool consumes no bytes
    default:
      return false;
  }
}

/** Serialise options (each at most 255 bytes) back to TLVs followed by END. */
export function encodeOptions(options: Iterable<[number, Uint8Array]>): Uint8Array {
  const chunks: number[] = [];
  for (const [code, value] of options) chunks.push(code, value.length, ...value);
  chunks.push(OPT.END);
  return Uint8Array.from(chunks);
}

/**
 * Put option 53 first after the magic cookie, as ISC dhcpd and dnsmasq do (some embedded clients look for it
 * there), and pad to `minLen` with zeros. `bytes` is a packet whose options start at `optionsAt`.
 */
export function messageTypeFirst(bytes: Uint8Array, optionsAt: number, type: number, minLen: number): Uint8Array {
  const body = bytes.subarray(optionsAt);
  const out = new Uint8Array(Math.max(minLen, bytes.length + 3));
  out.set(bytes.subarray(0, optionsAt), 0);
  out.set([OPT.MESSAGE_TYPE, 1, type], optionsAt);
  out.set(body, optionsAt + 3);
  return out;
}

/** Lower-case hex of some bytes (fixtures, logs). */
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

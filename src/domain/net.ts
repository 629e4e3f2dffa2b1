/**
 * IPv4 and MAC address helpers (the walt-net subnet checks of server/walt/server/tools.py and the MAC forms
 * stored in the devices table: lowercase, colon-separated).
 */

/** Parse a dotted-quad IPv4 address to an unsigned 32-bit integer; undefined when invalid (leading zeros refused, as Python's ipaddress does). */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Format an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Whether `s` is a valid dotted-quad IPv4 address. */
export function isIpv4(s: string): boolean {
  return parseIpv4(s) !== undefined;
}

function maskBits(prefix: number): number {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new RangeError(`invalid IPv4 prefix length: ${prefix}`);
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The netmask of a prefix length, e.g. 24 -> `255.255.255.0`. Throws RangeError outside 0..32. */
export function netmaskFromPrefix(prefix: number): string {
  return formatIpv4(maskBits(prefix));
}

/** The prefix length of a contiguous netmask (`255.255.252.0` -> 22), undefined when not a valid netmask. */
export function prefixFromNetmask(mask: string): number | undefined {
  const n = parseIpv4(mask);
  if (n === undefined) return undefined;
  for (let p = 0; p <= 32; p++) if (maskBits(p) === n) return p;
  return undefined;
}

/** Split `a.b.c.d/len` (WALT's walt-net `ip` setting) into address and prefix length; undefined when invalid. */
export function parseCidr(s: string): { ip: string; prefix: number } | undefined {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(s);
  if (m === null || m[1] === undefined || !isIpv4(m[1])) return undefined;
  const prefix = Number(m[2]);
  return prefix <= 32 ? { ip: m[1], prefix } : undefined;
}

/** Whether `ip` belongs to the network of `serverIp/prefix` (host bits of the server address ignored). False for an invalid address. */
export function inSubnet(ip: string, serverIp: string, prefix: number): boolean {
  const a = parseIpv4(ip);
  const b = parseIpv4(serverIp);
  if (a === undefined || b === undefined) return false;
  const mask = maskBits(prefix);
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/**
 * Normalise a MAC address to lowercase colon form (`aa:bb:cc:dd:ee:ff`). Accepts `:` or `-` separated
 * groups of 1-2 hex digits (zero-padded) or 12 contiguous hex digits; undefined when invalid.
 */
export function normalizeMac(s: string): string | undefined {
  const t = s.trim().toLowerCase();
  let groups: string[];
  if (/^[0-9a-f]{12}$/.test(t)) groups = t.match(/../g) ?? [];
  else if (/^[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}$/.test(t) && !(t.includes(":") && t.includes("-"))) groups = t.split(/[:-]/);
  else return undefined;
  return groups.map((g) => g.padStart(2, "0")).join(":");
}

/** Whether a MAC belongs to WALT's virtual node range (prefix `52:54:00`, the QEMU OUI). */
export function isVirtualMac(mac: string): boolean {
  return normalizeMac(mac)?.startsWith("52:54:00:") === true;
}

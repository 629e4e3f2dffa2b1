/**
 * Typed reply/request options to the code-keyed values npm dhcp's `format` writes (option 53 is added by
 * codec.ts `formatMessage`). Text longer than an option can carry is refused rather than truncated.
 */
import type { DhcpJsOptionValue } from "dhcp/lib/protocol.js";
import { OPT } from "./options.ts";

export interface OutgoingOptions {
  subnetMask?: string;
  routers?: string[];
  dnsServers?: string[];
  hostname?: string;
  domainName?: string;
  domainSearch?: string[];
  broadcastAddress?: string;
  ntpServers?: string[];
  vendorSpecific?: Uint8Array;
  requestedIp?: string;
  leaseTimeS?: number;
  serverId?: string;
  parameterList?: number[];
  message?: string;
  maxMessageSize?: number;
  vendorClass?: string;
  tftpServer?: string;
  bootFile?: string;
  userClass?: string;
  clientArch?: number;
}

/** Typed options to the library's code-keyed values (option 53 is added by formatMessage). */
export function libOptions(o: OutgoingOptions): Record<number, DhcpJsOptionValue> | string {
  const out: Record<number, DhcpJsOptionValue> = {};
  const text: [number, string | undefined][] = [
    [OPT.HOST_NAME, o.hostname],
    [OPT.DOMAIN_NAME, o.domainName],
    [OPT.MESSAGE, o.message],
    [OPT.VENDOR_CLASS, o.vendorClass],
    [OPT.TFTP_SERVER, o.tftpServer],
    [OPT.BOOT_FILE, o.bootFile],
    [OPT.DOMAIN_SEARCH, o.domainSearch && encodeDomainSearch(o.domainSearch)],
  ];
  for (const [code, v] of text) {
    if (v === undefined || v === "") continue;
    if (Buffer.byteLength(v, "latin1") > 255) return `option ${code} is longer than 255 bytes`;
    out[code] = v;
  }
  const set = (code: number, v: DhcpJsOptionValue | undefined): void => {
    if (v !== undefined) out[code] = v;
  };
  set(OPT.SUBNET_MASK, o.subnetMask);
  set(OPT.ROUTERS, o.routers?.length ? o.routers : undefined);
  set(OPT.DNS_SERVERS, o.dnsServers?.length ? o.dnsServers : undefined);
  set(OPT.BROADCAST, o.broadcastAddress);
  set(OPT.NTP_SERVERS, o.ntpServers?.length ? o.ntpServers : undefined);
  set(OPT.VENDOR_SPECIFIC, o.vendorSpecific && [...o.vendorSpecific]);
  set(OPT.REQUESTED_IP, o.requestedIp);
  set(OPT.LEASE_TIME, o.leaseTimeS);
  set(OPT.SERVER_ID, o.serverId);
  set(OPT.PARAMETER_LIST, o.parameterList);
  set(OPT.MAX_MESSAGE_SIZE, o.maxMessageSize);
  set(OPT.USER_CLASS, o.userClass === undefined ? undefined : [...Buffer.from(o.userClass, "latin1")]);
  set(OPT.CLIENT_ARCH, o.clientArch === undefined ? undefined : [o.clientArch]);
  return out;
}

/** RFC 3397 domain search list, uncompressed, as the latin1 string the library writes byte for byte. */
export function encodeDomainSearch(domains: readonly string[]): string {
  let s = "";
  for (const d of domains) {
    for (const label of d.split(".").filter((l) => l !== "")) s += String.fromCharCode(label.length) + label;
    s += "\0";
  }
  return s;
}

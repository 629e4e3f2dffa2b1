/**
 * DHCP constants: option codes (RFC 2132 and later), message types (RFC 2132 §9.6), client architectures
 * (RFC 4578 §2.1, IANA "Processor Architecture Types") and the values WALT's dhcpd.conf uses.
 */

/** Option codes this service reads or writes. */
export const OPT = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTERS: 3,
  DNS_SERVERS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  BROADCAST: 28,
  NTP_SERVERS: 42,
  VENDOR_SPECIFIC: 43,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_LIST: 55,
  MESSAGE: 56,
  MAX_MESSAGE_SIZE: 57,
  VENDOR_CLASS: 60,
  CLIENT_ID: 61,
  TFTP_SERVER: 66,
  BOOT_FILE: 67,
  USER_CLASS: 77,
  CLIENT_ARCH: 93,
  CLIENT_NDI: 94,
  CLIENT_UUID: 97,
  DOMAIN_SEARCH: 119,
  IPXE_ENCAP: 175,
  END: 255,
} as const;

/** DHCP message types (option 53). */
export const MESSAGE_TYPES = ["DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Option 53 value of a message type (DISCOVER = 1 … INFORM = 8). */
export const messageTypeCode = (t: MessageType): number => MESSAGE_TYPES.indexOf(t) + 1;

/** Message type of an option 53 value; undefined outside 1..8. */
export const messageTypeOf = (code: number): MessageType | undefined => MESSAGE_TYPES[code - 1];

/** Client system architectures (option 93) that pick a boot file. */
export const ARCH = {
  /** Legacy x86 BIOS. */
  X86_BIOS: 0,
  /** EFI IA32. */
  EFI_IA32: 6,
  /** RFC 4578 says "EFI BC", but firmwares (and the IANA errata) use it for x86-64 UEFI. */
  EFI_BC: 7,
  /** EFI x86-64. */
  EFI_X86_64: 9,
} as const;

/** BOOTP/DHCP header length up to and including the magic cookie (RFC 2131 §2, RFC 2132 §2). */
export const HEADER_LEN = 240;
export const MAGIC_COOKIE = 0x63825363;
/** Replies are padded to the minimum BOOTP message size: some PXE ROMs drop shorter packets (RFC 1542 §2.1). */
export const MIN_PACKET_LEN = 300;
/** The broadcast bit of `flags` (RFC 2131 §2). */
export const FLAG_BROADCAST = 0x8000;

/** WALT gives every lease 6 000 000 s (min/max/default-lease-time in its dhcpd.conf). */
export const WALT_LEASE_TIME_S = 6_000_000;
/** WALT's `domain-name` and `domain-search`. */
export const WALT_DOMAIN = "walt";

/** Raspberry Pi foundation OUIs (WALT dhcpd.conf, walt-features §3.2). */
export const RPI_OUIS: readonly string[] = ["28:cd:c1", "b8:27:eb", "d8:3a:dd", "dc:a6:32", "e4:5f:01", "2c:cf:67", "88:a2:9e"];
/** Netgear switch OUIs WALT recognises at registration (walt-features §3.3). */
export const NETGEAR_OUIS: readonly string[] = ["6c:b0:ce", "28:c6:8e", "44:94:fc"];

/** The vendor class a PXE ROM announces (WALT matches it exactly), and the prefix every PXE client uses. */
export const PXE_UNDI_VCI = "PXEClient:Arch:00000:UNDI:002001";
export const PXE_VCI_PREFIX = "PXEClient";
/** The user class iPXE sends by default; WALT's embedded iPXE script replaces it with `walt.node.<model>`. */
export const IPXE_USER_CLASS = "iPXE";
export const WALT_NODE_PREFIX = "walt.node.";

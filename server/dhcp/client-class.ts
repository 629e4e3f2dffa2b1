/**
 * Which bootloader is asking, and what it must be told to boot (WALT dhcpd.conf, walt-features §3.2/§3.4).
 * Pure: the handler calls it for every OFFER/ACK.
 */
import type { DhcpMessage } from "./codec.ts";
import { ARCH, IPXE_USER_CLASS, PXE_VCI_PREFIX, RPI_OUIS, WALT_NODE_PREFIX } from "./options.ts";

export type ClientKind =
  /** WALT's own bootloader scripts (iPXE script, u-boot `bootp_vci`): they chain their next stage themselves. */
  | { kind: "walt-node"; model: string }
  /** Plain iPXE (a NIC ROM or a chained iPXE binary): it can fetch the WALT script directly. */
  | { kind: "ipxe" }
  /** Raspberry Pi 3B+/4/5 bootloader network boot. */
  | { kind: "rpi" }
  /** A PXE ROM that is not iPXE: it needs an iPXE binary for its architecture first. */
  | { kind: "pxe"; arch: number | undefined }
  /** Anything else (a switch, a laptop, a node's OS): an address, no boot file. */
  | { kind: "other" };

/** The model a `walt.node.<model>` class names; undefined for other classes. */
export function waltNodeModel(cls: string | undefined): string | undefined {
  if (cls?.startsWith(WALT_NODE_PREFIX) !== true) return undefined;
  const model = cls.slice(WALT_NODE_PREFIX.length);
  return model === "" ? undefined : model;
}

/** Classify a client. WALT gives the user class priority over the vendor class (walt-features §3.3). */
export function classifyClient(m: Pick<DhcpMessage, "chaddr" | "vendorClass" | "userClass" | "clientArch">): ClientKind {
  const model = waltNodeModel(m.userClass) ?? waltNodeModel(m.vendorClass);
  if (model !== undefined) return { kind: "walt-node", model };
  if (m.userClass === IPXE_USER_CLASS) return { kind: "ipxe" };
  const pxe = m.vendorClass?.startsWith(PXE_VCI_PREFIX) === true;
  if (pxe && RPI_OUIS.includes(m.chaddr.slice(0, 8))) return { kind: "rpi" };
  if (pxe) return { kind: "pxe", arch: m.clientArch ?? archFromVendorClass(m.vendorClass) };
  return { kind: "other" };
}

/** `PXEClient:Arch:00007:UNDI:003016` → 7 (RFC 4578 §2.1 puts the arch in the class too). */
function archFromVendorClass(vci: string | undefined): number | undefined {
  const m = /^PXEClient:Arch:(\d{5})/.exec(vci ?? "");
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** Boot files the TFTP/HTTP services serve. */
export interface BootFiles {
  /** Plain iPXE clients: the WALT iPXE script, as an `http://` URL or a TFTP path (see ipxeScriptLocation). */
  ipxeScript: string;
  /** Legacy BIOS PXE ROMs (arch 0): WALT's undionly.kpxe with its embedded script. */
  bios: string;
  /**
   * x86-64 UEFI PXE (arch 7 and 9). WALT has no UEFI path (its dhcpd.conf only handles arch 00:00); we hand out
   * an iPXE EFI binary (Debian's `ipxe.efi`, copied as below) which then behaves as a plain iPXE client.
   */
  efiX86_64: string;
}

export const DEFAULT_BOOT_FILES: Omit<BootFiles, "ipxeScript"> = {
  bios: "pxe/walt-x86-undionly.kpxe",
  efiX86_64: "pxe/walt-x86-64-ipxe.efi",
};

/** Where plain iPXE clients find the WALT script: HTTP is much faster than lockstep TFTP (machine-facts). */
export function ipxeScriptLocation(serverIp: string, via: "http" | "tftp", httpPort = 80): string {
  if (via === "tftp") return "start.ipxe";
  return `http://${serverIp}${httpPort === 80 ? "" : `:${httpPort}`}/boot/start.ipxe`;
}

/**
 * Option 43 for the Raspberry Pi bootloader: a PXE boot menu whose item reads "Raspberry Pi Boot" (WALT's
 * `0 17 "Raspberry Pi Boot"`), as dnsmasq's `pxe-service=0,"Raspberry Pi Boot"` encodes it: discovery control
 * 3 (sub-option 6), menu prompt (10), menu item type 0 (9), END.
 */
export const RPI_PXE_MENU: Uint8Array = Uint8Array.from([
  6, 1, 3,
  10, 4, 0, ...Buffer.from("PXE"),
  9, 20, 0, 0, 17, ...Buffer.from("Raspberry Pi Boot"),
  255,
]);

/** What goes into the reply for a client kind. */
export interface BootAnswer {
  bootFile?: string;
  vendorClass?: string;
  vendorSpecific?: Uint8Array;
}

export function bootAnswer(kind: ClientKind, files: BootFiles): BootAnswer {
  switch (kind.kind) {
    case "walt-node":
      return {};
    case "ipxe":
      // iPXE takes an offer carrying vendor class "PXEClient" as the ProxyDHCP answer too and stops waiting
      // for one (measured in the lab: 2-3 s saved per boot); it boots the file name since there is no menu.
      return { bootFile: files.ipxeScript, vendorClass: "PXEClient" };
    case "rpi":
      return { vendorClass: "PXEClient", vendorSpecific: RPI_PXE_MENU };
    case "pxe":
      if (kind.arch === ARCH.X86_BIOS) return { bootFile: files.bios };
      if (kind.arch === ARCH.EFI_BC || kind.arch === ARCH.EFI_X86_64) return { bootFile: files.efiX86_64 };
      return {}; // EFI IA32, ARM UEFI…: no iPXE binary for them yet
    case "other":
      return {};
  }
}

/**
 * WALT's TFTP name mapping (walt-features §3.5), which WALT gives tftpd-hpa as a map file:
 *
 *   e .*undionly.*                     serve as is, from the TFTP root
 *   r boot/rpi-.*\.uboot start.uboot   old Raspberry Pi u-boot scripts ask for boot/<model>.uboot
 *   r boot/pc-x86-64.ipxe start.ipxe   the USB-stick iPXE asks for boot/pc-x86-64.ipxe
 *   r .* nodes/\i/tftp/\0              everything else comes from the client's own tree
 *
 * tftpd-hpa's `r` rules replace the matched part of the name and keep the rest, and its rules are not
 * anchored; this function does the same. tftpd-hpa runs with --secure, where a leading `/` names the TFTP
 * root, so leading slashes are dropped first.
 */
export function waltMapPath(path: string, clientIp: string): string {
  const name = path.replace(/^\/+/, "");
  if (name.includes("undionly")) return name;
  const mapped = name.replace(/boot\/rpi-.*\.uboot/, "start.uboot").replace(/boot\/pc-x86-64.ipxe/, "start.ipxe");
  return `nodes/${clientIp}/tftp/${mapped}`;
}

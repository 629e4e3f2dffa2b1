import { expect, test } from "bun:test";
import { waltMapPath } from "./walt-map.ts";

const cases: [string, string][] = [
  ["kernel", "nodes/192.168.152.7/tftp/kernel"],
  ["/kernel", "nodes/192.168.152.7/tftp/kernel"],
  ["//boot//x", "nodes/192.168.152.7/tftp/boot//x"],
  ["boot/pc-x86-64.ipxe", "nodes/192.168.152.7/tftp/start.ipxe"],
  ["/boot/pc-x86-64.ipxe", "nodes/192.168.152.7/tftp/start.ipxe"],
  ["boot/rpi-3-b-plus.uboot", "nodes/192.168.152.7/tftp/start.uboot"],
  ["boot/rpi-b.uboot", "nodes/192.168.152.7/tftp/start.uboot"],
  ["boot/pc-x86-32.ipxe", "nodes/192.168.152.7/tftp/boot/pc-x86-32.ipxe"],
  ["pxe/walt-x86-undionly.kpxe", "pxe/walt-x86-undionly.kpxe"],
  ["/pxe/walt-x86-undionly.kpxe", "pxe/walt-x86-undionly.kpxe"],
  ["1a2b3c4d/start4.elf", "nodes/192.168.152.7/tftp/1a2b3c4d/start4.elf"],
];
test.each(cases)("walt map: %s → %s", (path, mapped) => {
  expect(waltMapPath(path, "192.168.152.7")).toBe(mapped);
});

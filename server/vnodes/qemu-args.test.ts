import { describe, expect, test } from "bun:test";
import { qemuArgs, ramToMb } from "./qemu-args.ts";

describe("qemu command line", () => {
  test("TCG virtual nodes use -cpu max so the Bun agent does not die of SIGILL", () => {
    const a = qemuArgs({ name: "vn1", accel: "tcg", ramMb: 512, cores: 1, nets: [{ tap: "wt0", mac: "52:54:00:00:00:01" }], disks: [], boot: { kind: "pxe" } });
    expect(a.slice(a.indexOf("-cpu"), a.indexOf("-cpu") + 2)).toEqual(["-cpu", "max"]);
    expect(a).toContain("-no-reboot");
    expect(a.slice(-2)).toEqual(["-boot", "n"]);
    expect(a).toContain("tap,id=n0,ifname=wt0,script=no,downscript=no");
    expect(a).toContain("virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01");
  });

  test("KVM uses the host CPU, and direct boot passes kernel, initrd and command line", () => {
    const a = qemuArgs({ name: "vn2", accel: "kvm", ramMb: 1024, cores: 4, nets: [], disks: [{ path: "/d/disk_0.dd" }], boot: { kind: "direct", kernel: "/k", initrd: "/i", cmdline: "console=ttyS0" } });
    expect(a).toContain("host");
    expect(a.slice(-6)).toEqual(["-kernel", "/k", "-initrd", "/i", "-append", "console=ttyS0"]);
    expect(a).toContain("file=/d/disk_0.dd,format=raw,id=disk0,if=none");
  });

  test.each([
    ["512M", 512],
    ["1G", 1024],
    ["2G", 2048],
  ])("ram %s is %d MiB", (v, mb) => expect(ramToMb(v)).toBe(mb));

  test("invalid ram values are refused", () => {
    expect(() => ramToMb("1T")).toThrow("invalid ram value '1T'");
  });
});

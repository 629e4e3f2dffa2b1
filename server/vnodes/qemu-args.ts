/**
 * The qemu command line of a virtual node, as data (model-codebases §4.8), adapted from WALT §7.2:
 * one tap on walt-net per network, serial console on stdio, `-no-reboot` so a guest reboot ends the
 * process and the supervisor boots the node again (re-reading its boot files, as WALT's VM loop does).
 *
 * Under TCG the CPU model must be `max`: qemu's default `qemu64` kills any Bun binary with SIGILL
 * (machine-facts), and the agent is a Bun binary.
 */
export interface QemuNet {
  /** Host tap interface (created by the supervisor). */
  tap: string;
  mac: string;
}

export interface QemuDisk {
  path: string;
}

export type QemuBoot =
  | { kind: "direct"; kernel: string; initrd: string | undefined; cmdline: string }
  | { kind: "pxe" };

export interface QemuSpec {
  name: string;
  accel: "kvm" | "tcg";
  ramMb: number;
  cores: number;
  nets: QemuNet[];
  disks: QemuDisk[];
  boot: QemuBoot;
  binary?: string;
}

/** `512M` / `1G` (WALT's ram setting) → MiB. */
export function ramToMb(ram: string): number {
  const m = /^(\d+)([MG])$/.exec(ram);
  if (!m?.[1]) throw new Error(`invalid ram value '${ram}'`);
  return Number(m[1]) * (m[2] === "G" ? 1024 : 1);
}

export function qemuArgs(s: QemuSpec): string[] {
  const args = [
    s.binary ?? "qemu-system-x86_64",
    "-name", s.name,
    "-machine", "pc",
    "-accel", s.accel,
    "-cpu", s.accel === "kvm" ? "host" : "max",
    "-m", String(s.ramMb),
    "-smp", String(Math.max(1, s.cores)),
    "-nodefaults", "-no-user-config", "-display", "none",
    "-serial", "stdio", "-monitor", "none", "-no-reboot",
  ];
  s.disks.forEach((d, i) => {
    args.push("-drive", `file=${d.path},format=raw,id=disk${i},if=none`, "-device", "virtio-scsi-pci", "-device", `scsi-hd,drive=disk${i},product=QEMU-DISK`);
  });
  s.nets.forEach((n, i) => {
    args.push("-netdev", `tap,id=n${i},ifname=${n.tap},script=no,downscript=no`, "-device", `virtio-net-pci,netdev=n${i},mac=${n.mac}`);
  });
  if (s.boot.kind === "direct") {
    args.push("-kernel", s.boot.kernel);
    if (s.boot.initrd) args.push("-initrd", s.boot.initrd);
    args.push("-append", s.boot.cmdline);
  } else {
    args.push("-boot", "n");
  }
  return args;
}

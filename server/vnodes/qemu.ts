/**
 * The real hypervisor: qemu processes (command line from qemu-args.ts) on taps of walt-net. The accelerator is
 * decided once, by probing KVM with the first kernel a node boots (kvm-probe.ts), unless configured.
 * qemu runs under `setpriv --pdeathsig KILL` when available, so a server that dies does not leave VMs behind.
 */
import type { Logger } from "../../src/log.ts";
import { WaltError } from "../../src/errors.ts";
import { ip, linkExists } from "../netboot/ip.ts";
import { WALT_NET } from "../netboot/walt-net.ts";
import { tapName, type Hypervisor, type VmHandle, type VmSpec } from "./hypervisor.ts";
import { probeAccel } from "./kvm-probe.ts";
import { qemuArgs } from "./qemu-args.ts";

export interface QemuOptions {
  accel: "auto" | "kvm" | "tcg";
  log: Logger;
  binary?: string;
  bridge?: string;
}

export const QEMU_PACKAGES = "qemu-system-x86 ipxe-qemu";

export class QemuHypervisor implements Hypervisor {
  private accel: Promise<"kvm" | "tcg"> | undefined;
  private readonly binary: string;
  private readonly setpriv: string | null;

  constructor(private readonly o: QemuOptions) {
    const found = o.binary ?? Bun.which("qemu-system-x86_64");
    if (found === null) {
      throw new WaltError("UNAVAILABLE", "qemu is not installed: virtual nodes cannot run.", { hint: `install the Debian packages: apt-get install ${QEMU_PACKAGES}` });
    }
    this.binary = found;
    this.setpriv = Bun.which("setpriv");
  }

  async attach(mac: string): Promise<string> {
    const tap = tapName(mac);
    if (!(await linkExists(tap))) await ip("tuntap", "add", "dev", tap, "mode", "tap");
    await ip("link", "set", "dev", tap, "master", this.o.bridge ?? WALT_NET);
    await ip("link", "set", "dev", tap, "up");
    return tap;
  }

  async detach(mac: string): Promise<void> {
    const tap = tapName(mac);
    if (await linkExists(tap)) await ip("link", "del", "dev", tap);
  }

  /** The accelerator VMs use: configured, or probed once with `kernel`. */
  accelFor(kernel: string | undefined): Promise<"kvm" | "tcg"> {
    if (this.o.accel !== "auto") return Promise.resolve(this.o.accel);
    if (kernel === undefined) return this.accel ?? Promise.resolve("tcg");
    this.accel ??= probeAccel(kernel, { binary: this.binary }).then((r) => {
      this.o.log.info(`vnodes: using ${r.ok ? "KVM" : "TCG (-cpu max)"}`, { probe: r.reason, ms: r.ms });
      return r.ok ? "kvm" : "tcg";
    });
    return this.accel;
  }

  async start(spec: VmSpec, console: (text: string) => void): Promise<VmHandle> {
    const accel = await this.accelFor(spec.boot.kind === "direct" ? spec.boot.kernel : undefined);
    const args = qemuArgs({ name: spec.name, accel, ramMb: spec.ramMb, cores: spec.cores, nets: [{ tap: spec.tap, mac: spec.mac }], disks: [], boot: spec.boot, binary: this.binary });
    const argv = this.setpriv === null ? args : [this.setpriv, "--pdeathsig", "KILL", "--", ...args];
    const proc = Bun.spawn(argv, { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const pump = async (s: ReadableStream<Uint8Array>): Promise<void> => {
      const dec = new TextDecoder();
      for await (const bytes of s) console(dec.decode(bytes, { stream: true }));
    };
    void pump(proc.stdout).catch(() => undefined);
    void pump(proc.stderr).catch(() => undefined);
    this.o.log.info("vnodes: qemu started", { node: spec.name, pid: proc.pid, accel, boot: spec.boot.kind });
    return {
      pid: proc.pid,
      exited: proc.exited,
      kill: () => proc.kill("SIGKILL"),
      input: (bytes) => {
        try {
          void proc.stdin.write(bytes);
          void proc.stdin.flush();
        } catch {
          // the VM is gone
        }
      },
    };
  }
}

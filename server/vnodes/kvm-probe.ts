/**
 * Does KVM work here? On this project's machines /dev/kvm opens but a guest hangs (machine-facts), and with
 * `-cpu host` qemu aborts at once: so the only proof is a guest that runs. The probe boots the node's own
 * kernel without a root filesystem, `-cpu host` as a real VM would; reaching its "Kernel panic" (≈ 1 s under
 * KVM, 3-8 s under TCG) within the deadline proves the accelerator works. Otherwise TCG is used.
 */
import { existsSync } from "node:fs";

export interface ProbeResult {
  ok: boolean;
  reason: string;
  ms: number;
}

export interface ProbeOptions {
  binary?: string;
  timeoutMs?: number;
  /** Tests probe a fake qemu, or TCG to check the probe itself. */
  accel?: "kvm" | "tcg";
  kvmDevice?: string;
}

export async function probeAccel(kernel: string, o: ProbeOptions = {}): Promise<ProbeResult> {
  const t0 = Date.now();
  const accel = o.accel ?? "kvm";
  const done = (ok: boolean, reason: string): ProbeResult => ({ ok, reason, ms: Date.now() - t0 });
  if (accel === "kvm" && !existsSync(o.kvmDevice ?? "/dev/kvm")) return done(false, "no /dev/kvm");
  const argv = [o.binary ?? "qemu-system-x86_64", "-accel", accel, "-cpu", accel === "kvm" ? "host" : "max", "-machine", "pc", "-m", "128"];
  argv.push("-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot");
  argv.push("-kernel", kernel, "-append", "console=ttyS0 panic=-1 quiet loglevel=3");
  let proc;
  try {
    proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (e) {
    return done(false, `cannot run ${argv[0] ?? "qemu"}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let seen = "";
  let resolvePanic!: () => void;
  const panic = new Promise<void>((r) => (resolvePanic = r));
  const watch = async (s: ReadableStream<Uint8Array>): Promise<void> => {
    const dec = new TextDecoder();
    for await (const bytes of s) {
      const chunk = dec.decode(bytes, { stream: true });
      seen = (seen + chunk).slice(-4000);
      if (seen.includes("Kernel panic")) resolvePanic();
    }
  };
  void watch(proc.stdout);
  void watch(proc.stderr);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    panic.then(() => "panic" as const),
    proc.exited.then(() => "exit" as const),
    new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), o.timeoutMs ?? 20_000))),
  ]);
  clearTimeout(timer);
  proc.kill("SIGKILL");
  await proc.exited;
  if (outcome === "panic" || seen.includes("Kernel panic")) return done(true, `a guest kernel ran to its end under ${accel}`);
  const last = seen.trim().split("\n").at(-1) ?? "";
  if (outcome === "timeout") return done(false, `no guest progress under ${accel} within the deadline`);
  return done(false, `qemu exited early under ${accel}${last ? `: ${last}` : ""}`);
}

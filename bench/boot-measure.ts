/**
 * One measured network boot of one or more nodes: trigger it with a CLI command (`walt node boot`, `walt node
 * reboot`), then per node, from the server's records:
 * - qemu start: the boot timeline's kernel event of the emulated bootloader (recorded just before qemu is spawned);
 * - agent hand-over: the console line `walt-init: Handing over to WALT image init.`;
 * - booted: the image's own init's console line (BenchImage.bootedLine), the same mark as the local-disk run;
 * - bytes: tap and per-protocol counters (boot-traffic.ts) between the trigger and the booted line.
 */
import { HANDOVER_MESSAGE } from "../agent/steps/handover.ts";
import { waitFor } from "../test/helpers/wait-for.ts";
import type { BootBench, BootRecord } from "./boot-env.ts";
import type { BenchImage } from "./boot-images.ts";
import { delta, type Protocol, type TrafficSampler } from "./boot-traffic.ts";

export interface NodeBoot {
  node: string;
  qemuStartUs: number;
  handOverUs: number;
  bootedUs: number;
}

export interface BootRun {
  /** From the CLI command to the last node's booted line, seconds. */
  wallS: number;
  nodes: NodeBoot[];
  /** Sent on the nodes' taps, and per protocol on walt-net, from the trigger to the last booted line. */
  tapBytes: number;
  proto: Record<Protocol, number>;
  /** Kernel + initrd as read by the emulated bootloader (given to qemu, not sent over walt-net). */
  kernelBytes: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function nodeBoot(b: BootBench, node: string, image: BenchImage, sinceUs: number, timeoutMs: number): Promise<NodeBoot & { kernelBytes: number }> {
  const record = await waitFor(
    async () => (await b.timelines(node)).filter((r: BootRecord) => r.startUs >= sinceUs && r.events.some((e) => e.kind === "kernel")).at(-1),
    `${node}'s boot record`,
    timeoutMs,
    1000,
  );
  const kernels = record.events.filter((e) => e.kind === "kernel");
  const qemuStartUs = kernels[0]?.atUs ?? 0;
  const after = async (re: string): Promise<number | undefined> => (await b.consoleLines(node, re)).find((l) => l.atUs >= qemuStartUs)?.atUs;
  const bootedUs = await waitFor(() => after(image.bootedLine), `${node}'s console line /${image.bootedLine}/`, timeoutMs, 1000);
  const handOverUs = (await after(escapeRe(HANDOVER_MESSAGE))) ?? NaN;
  return { node, qemuStartUs, handOverUs, bootedUs, kernelBytes: kernels.reduce((s, e) => s + (e.bytes ?? 0), 0) };
}

export async function measureBoot(b: BootBench, sampler: TrafficSampler, nodes: readonly string[], image: BenchImage, trigger: string[], timeoutS: number): Promise<BootRun> {
  const before = await sampler.sample();
  if (before === undefined) throw new Error("cannot read the traffic counters");
  const t0 = Date.now() * 1000;
  await b.ok(...trigger);
  const deadline = Date.now() + timeoutS * 1000;
  // Nothing polled while the nodes boot (a CLI process costs CPU the VMs share): `walt node wait` blocks until the
  // hand-over, then the records (all timestamped by the server) are read.
  await b.ok("node", "wait", nodes.join(","), "--timeout", String(timeoutS));
  const boots: (NodeBoot & { kernelBytes: number })[] = [];
  for (const n of nodes) boots.push(await nodeBoot(b, n, image, t0 - 1_000_000, Math.max(1000, deadline - Date.now())));
  const lastUs = Math.max(...boots.map((x) => x.bootedUs));
  await waitFor(() => sampler.samples.some((s) => s.atUs > lastUs), "a traffic sample after the booted line", 10_000, 100);
  const d = delta(before, sampler.sampleAt(lastUs), nodes.map((n) => b.tapOf(n)));
  return { wallS: (lastUs - t0) / 1e6, nodes: boots, tapBytes: d.tap, proto: d.proto, kernelBytes: boots.reduce((s, x) => s + x.kernelBytes, 0) };
}

export const secs = (us: number): string => (Number.isNaN(us) ? "?" : (us / 1e6).toFixed(1));

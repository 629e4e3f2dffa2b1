/**
 * Ten virtual nodes (busybox image, the default one in a busybox-only bench; 512 MB each) rebooted at once with one `walt node reboot vb0,…,vb9`: how many
 * came back booted, the time until the last one did, and the bytes the server sent them (boot-measure.ts).
 * Under TCG the VMs share the machine's cores: expect minutes.
 */
import { median } from "./lib.ts";
import { BootBench } from "./boot-env.ts";
import { BUSYBOX } from "./boot-images.ts";
import { measureBoot } from "./boot-measure.ts";
import { mb, TrafficSampler } from "./boot-traffic.ts";

const TIMEOUT_S = 1200;

export async function benchManyBoots(count = 10): Promise<Record<string, number>> {
  const nodes = Array.from({ length: count }, (_, i) => `vb${i}`);
  await using b = await BootBench.create("busybox");
  const sampler = new TrafficSampler(b.ns, b.dir);
  await sampler.start();
  try {
    for (const n of nodes) await b.ok("node", "create", n);
    await b.ok("node", "wait", nodes.join(","), "--timeout", String(TIMEOUT_S));
    const r = await measureBoot(b, sampler, nodes, BUSYBOX, ["node", "reboot", nodes.join(",")], TIMEOUT_S);
    const perNode = r.nodes.map((n) => (n.bootedUs - n.qemuStartUs) / 1e6);
    const booted = (await b.ok("node", "show", "--all")).split("\n").filter((l) => nodes.includes(l.split(/\s+/)[0] ?? "") && /\byes\s*$/.test(l)).length;
    console.log(`\n${count} vnodes (busybox, 512 MB each) rebooted at once (\`walt node reboot ${nodes[0]},…,${nodes.at(-1)}\`), booted = the image init's console line:`);
    console.log(`  booted ${booted}/${count} (walt node show); all booted ${r.wallS.toFixed(1)} s after the command; qemu start → booted per node: median ${median(perNode).toFixed(1)} s, max ${Math.max(...perNode).toFixed(1)} s`);
    console.log(`  sent on their taps: ${mb(r.tapBytes)} MB in all, ${mb(r.tapBytes / count)} MB per node (NFS ${mb(r.proto.nfs)} MB, DHCP ${mb(r.proto.dhcp)} MB, HTTP ${mb(r.proto.http)} MB, NBD ${mb(r.proto.nbd)} MB)`);
    return { booted, allBootedS: r.wallS, medianS: median(perNode), tapBytes: r.tapBytes };
  } finally {
    await sampler.stop();
  }
}

if (import.meta.main) await benchManyBoots(Number(process.argv[2] ?? 10));

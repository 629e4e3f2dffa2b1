/**
 * Bytes the server side sends to booting nodes, sampled in the bench's namespace every 200 ms:
 * - per node, the tap's `tx_bytes` (everything sent to the VM: DHCP, TFTP/HTTP, NFS, NBD, Ethernet/IP/TCP headers);
 * - per protocol, nftables counters on walt-net's output by source port (IP packets, headers included; DHCP
 *   broadcasts counted once, while every tap counts them).
 * A bench reads the sample taken just before the "booted" console line (sampleAt), so the figures are those of a
 * boot, not of what a booted node does afterwards.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NetNamespace } from "../test/helpers/netns.ts";

export const PROTOCOLS = { nfs: "tcp sport 2049", dhcp: "udp sport 67", tftp: "udp sport 69", http: "tcp sport 80", nbd: "tcp sport 10809" } as const;
export type Protocol = keyof typeof PROTOCOLS;

export interface Sample {
  atUs: number;
  /** tap name → tx_bytes. */
  taps: Record<string, number>;
  proto: Record<Protocol, number>;
}

const TABLE = "walt_bench";

export class TrafficSampler {
  readonly samples: Sample[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  /** `dir`: where the nft script is written. */
  constructor(
    private readonly ns: NetNamespace,
    private readonly dir: string,
  ) {}

  /** Install the counters and start sampling. */
  async start(): Promise<void> {
    const rules = Object.entries(PROTOCOLS).map(([name, match]) => `add rule inet ${TABLE} out oifname "walt-net" ${match} counter comment "${name}"`);
    const script = [`add table inet ${TABLE}`, `add chain inet ${TABLE} out { type filter hook output priority 0; policy accept; }`, ...rules].join("\n");
    const file = join(this.dir, "counters.nft");
    writeFileSync(file, script + "\n");
    const r = await this.ns.exec(["nft", "-f", file]);
    if (r.code !== 0) throw new Error(`nft -f ${file} failed: ${r.err}`);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const s = await this.sample();
      if (s !== undefined) this.samples.push(s);
      if (this.samples.length > 20_000) this.samples.splice(0, 10_000);
      await Bun.sleep(200);
    }
  }

  async sample(): Promise<Sample | undefined> {
    const atUs = Date.now() * 1000;
    const r = await this.ns.exec(["sh", "-c", `for f in /sys/class/net/wt*/statistics/tx_bytes; do [ -e "$f" ] && echo "$f $(cat "$f")"; done; nft -j list table inet ${TABLE}`]);
    if (r.code !== 0) return undefined;
    const taps: Record<string, number> = {};
    const proto = { nfs: 0, dhcp: 0, tftp: 0, http: 0, nbd: 0 };
    for (const line of r.out.split("\n")) {
      const m = /^\/sys\/class\/net\/([^/]+)\/statistics\/tx_bytes (\d+)$/.exec(line);
      if (m?.[1] !== undefined) taps[m[1]] = Number(m[2]);
      if (!line.startsWith("{")) continue;
      const json = JSON.parse(line) as { nftables: { rule?: { comment?: string; expr: { counter?: { bytes: number } }[] } }[] };
      for (const item of json.nftables) {
        const name = item.rule?.comment;
        const bytes = item.rule?.expr.find((e) => e.counter !== undefined)?.counter?.bytes;
        if (name !== undefined && name in proto && bytes !== undefined) proto[name as Protocol] = bytes;
      }
    }
    return { atUs, taps, proto };
  }

  /** The last sample taken at or before `atUs`. */
  sampleAt(atUs: number): Sample {
    const s = this.samples.filter((x) => x.atUs <= atUs).at(-1);
    if (s === undefined) throw new Error("no traffic sample before that time");
    return s;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** What was sent between two samples: per tap, per protocol. */
export function delta(a: Sample, b: Sample, taps: readonly string[]): { tap: number; proto: Record<Protocol, number> } {
  const tap = taps.reduce((sum, t) => sum + ((b.taps[t] ?? 0) - (a.taps[t] ?? 0)), 0);
  const proto = { nfs: 0, dhcp: 0, tftp: 0, http: 0, nbd: 0 };
  for (const k of Object.keys(proto) as Protocol[]) proto[k] = b.proto[k] - a.proto[k];
  return { tap, proto };
}

export const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

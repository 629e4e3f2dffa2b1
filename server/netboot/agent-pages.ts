/**
 * The agent's read-ahead plan (docs/netboot.md, "Reading the agent ahead"). The walt agent is a ~100 MB binary run
 * from each node's NFS root; at start it touches ~17 MB of it, scattered. One node learns which byte ranges (it
 * starts its agent with no read-around and posts what its page cache holds of the file); every later boot reads
 * those ranges ahead in parallel from the initramfs (`walt-prefetch`) instead of faulting them in one round trip
 * at a time with the kernel's read-around on top.
 *
 * Ranges are kept per agent build (sha256 of the binary) in `<dataDir>/agent-pages/<sha256>.json`, so a new
 * server version learns again and an old plan never applies to another file. One node learns at a time: the
 * others boot as before until the ranges are known.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";

/** How long a node that was told to learn keeps the turn (a boot under TCG takes well under this). */
export const LEARN_LEASE_MS = 10 * 60_000;
/** Ranges closer than this are read as one: fewer NFS READs for a few pages more. */
export const MERGE_GAP_BYTES = 8192;

export type Range = readonly [offset: number, length: number];

export type PagePlan = { kind: "prefetch"; size: number; ranges: Range[] } | { kind: "learn"; size: number } | { kind: "none"; why: string };

export interface AgentPagesOptions {
  /** `<dataDir>/agent-pages`. */
  dir: string;
  /** The binary injected as /bin/walt; undefined: no plan. */
  binary: string | undefined;
  nowMs(): number;
  log: Logger;
}

interface Identity {
  size: number;
  sha256: string;
}

/** The plan as the initramfs reads it (src/api/agent.ts AGENT_PAGES_PATH). */
export function renderPlan(plan: PagePlan): string {
  if (plan.kind === "none") return "none\n";
  if (plan.kind === "learn") return `learn ${plan.size}\n`;
  return `prefetch ${plan.size}\n${plan.ranges.map(([o, l]) => `${o} ${l}\n`).join("")}`;
}

/** Ascending, disjoint, inside the file: anything else is refused (a node's report is input). */
export function checkRanges(ranges: readonly Range[], size: number): string | undefined {
  let end = 0;
  for (const [i, [o, l]] of ranges.entries()) {
    if (o < end) return `range ${i} (${o}) overlaps or precedes the one before`;
    if (o + l > size) return `range ${i} (${o}+${l}) goes past the end of the ${size}-byte file`;
    end = o + l;
  }
  return undefined;
}

/** Join ranges whose gap is at most `gap` bytes. */
export function mergeRanges(ranges: readonly Range[], gap: number): Range[] {
  const out: [number, number][] = [];
  for (const [o, l] of ranges) {
    const last = out.at(-1);
    if (last !== undefined && o - (last[0] + last[1]) <= gap) last[1] = o + l - last[0];
    else out.push([o, l]);
  }
  return out;
}

export class AgentPages {
  private identity: { key: string; value: Promise<Identity> } | undefined;
  /** The plan's ranges (merged once) of each agent build seen; null: none learnt yet. */
  private readonly known = new Map<string, Range[] | null>();
  private lease: { ip: string; untilMs: number } | undefined;

  constructor(private readonly o: AgentPagesOptions) {}

  /** What a node booting from `ip` should do; `canLearn`: its initramfs can start the agent without read-around. */
  async plan(ip: string, canLearn: boolean): Promise<PagePlan> {
    const id = await this.agent();
    if (id === undefined) return { kind: "none", why: "no agent binary" };
    const ranges = await this.load(id);
    if (ranges !== null) return { kind: "prefetch", size: id.size, ranges };
    const now = this.o.nowMs();
    if (!canLearn) return { kind: "none", why: "not learnt yet" };
    if (this.lease !== undefined && this.lease.ip !== ip && this.lease.untilMs > now) return { kind: "none", why: "another node is learning" };
    this.lease = { ip, untilMs: now + LEARN_LEASE_MS };
    return { kind: "learn", size: id.size };
  }

  /** A learning node's report; answers the number of ranges kept. Throws a WaltError when it is not wanted. */
  async learned(ip: string, size: number, ranges: readonly Range[], node: string): Promise<number> {
    const id = await this.agent();
    if (id === undefined) throw new WaltError("CONFLICT", "This server injects no agent binary; agent pages refused.");
    if (this.lease?.ip !== ip || this.lease.untilMs <= this.o.nowMs()) throw new WaltError("CONFLICT", `${node} was not asked to learn the agent's pages.`);
    if (size !== id.size) throw new WaltError("CONFLICT", `${node} ran a ${size}-byte agent, this server's is ${id.size} bytes.`);
    const bad = checkRanges(ranges, size);
    if (bad !== undefined) throw new WaltError("BAD_REQUEST", `Invalid agent pages from ${node}: ${bad}.`);
    if (ranges.length === 0) throw new WaltError("BAD_REQUEST", `Invalid agent pages from ${node}: no range.`);
    mkdirSync(this.o.dir, { recursive: true });
    const file = join(this.o.dir, `${id.sha256}.json`);
    const bytes = ranges.reduce((n, [, l]) => n + l, 0);
    writeFileSync(`${file}.tmp`, JSON.stringify({ size, learntFrom: node, atMs: this.o.nowMs(), bytes, ranges }));
    renameSync(`${file}.tmp`, file);
    this.known.set(id.sha256, mergeRanges(ranges, MERGE_GAP_BYTES));
    this.lease = undefined;
    this.o.log.info("netboot: agent pages learnt", { node, ranges: ranges.length, bytes });
    return ranges.length;
  }

  /** The plan's ranges for this agent build (read and merged once; null: none yet). */
  private async load(id: Identity): Promise<Range[] | null> {
    const cached = this.known.get(id.sha256);
    if (cached !== undefined) return cached;
    let ranges: Range[] | null = null;
    try {
      const data = JSON.parse(await readFile(join(this.o.dir, `${id.sha256}.json`), "utf8")) as { size?: unknown; ranges?: unknown };
      const r = data.ranges as Range[];
      const shaped = Array.isArray(r) && r.every((x) => Array.isArray(x) && x.length === 2 && x.every((n) => Number.isSafeInteger(n) && n >= 0));
      if (data.size === id.size && shaped && checkRanges(r, id.size) === undefined) ranges = mergeRanges(r, MERGE_GAP_BYTES);
      else this.o.log.warn("netboot: ignoring a malformed agent pages file", { sha256: id.sha256 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") this.o.log.warn("netboot: cannot read the agent pages file", { error: String(e) });
    }
    this.known.set(id.sha256, ranges);
    return ranges;
  }

  /** Size and sha256 of the agent binary, hashed once per (size, mtime). */
  private async agent(): Promise<Identity | undefined> {
    const path = this.o.binary;
    if (path === undefined) return undefined;
    let st;
    try {
      st = await stat(path);
    } catch {
      return undefined;
    }
    const key = `${st.size}:${st.mtimeMs}`;
    if (this.identity?.key !== key) {
      const value = (async () => {
        const h = new Bun.CryptoHasher("sha256");
        for await (const chunk of Bun.file(path).stream()) h.update(chunk);
        return { size: st.size, sha256: h.digest("hex") };
      })();
      this.identity = { key, value };
    }
    return this.identity.value;
  }
}

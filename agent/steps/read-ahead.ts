/**
 * Step `read-ahead`: the image root gets its NFS read-around back before the image's own init runs, and a node
 * the server asked to learn the agent's pages reports them first (docs/netboot.md, "Reading the agent ahead").
 *
 * The Bun-compiled agent (~100 MB) touches ~17 MB scattered over its file at start; the kernel reads
 * `read_ahead_kb` around each page faulted in (52 MB on walt-net per boot at the default 128 KB). WALT's initramfs
 * lowers the read-around while the agent starts and records the mount's bdi and the default in boot.env. It also
 * asks the server for the agent's ranges: with them, `walt-prefetch` read them ahead (`agent_pages='prefetched'`);
 * without them, one node learns (`agent_pages='learn'`): its read-around is 0, so the agent's pages in the page
 * cache now are exactly the ones it touched, and they go to the server before the read-around is restored.
 */
import { AGENT_PAGES_PATH, AGENT_PAGES_MAX_RANGES, type AgentPagesReport } from "../../src/api/agent.ts";
import { formatSize } from "../../src/text/size.ts";
import { ok, reasonOf, skipped, type StepContext } from "./step.ts";
import type { Step } from "./step.ts";

/** The running agent's own file (the overlay hands mmap to the NFS file below, whose page cache mincore reads). */
export const SELF_EXE = "/proc/self/exe";

/** Report the pages this agent touched; one line on what happened (never throws: learning is an optimisation). */
async function learn({ sys, state, post }: StepContext): Promise<string> {
  try {
    const { size, ranges } = await sys.residentRanges(SELF_EXE);
    if (ranges.length === 0 || ranges.length > AGENT_PAGES_MAX_RANGES) return `agent pages not learnt: ${ranges.length} ranges in the page cache`;
    const body: AgentPagesReport = { mac: state.config.mac ?? null, size, ranges };
    await post(AGENT_PAGES_PATH, body);
    return `agent pages learnt: ${ranges.length} ranges, ${formatSize(ranges.reduce((n, [, l]) => n + l, 0), "si")}, sent to the server`;
  } catch (e) {
    return `agent pages not learnt: ${reasonOf(e)}`;
  }
}

/** What the initramfs's `walt-prefetch` said (`walt-prefetch: N ranges, B bytes`), for the timeline. */
function prefetched(line: string | undefined): string | undefined {
  const m = /(\d+) ranges, (\d+) bytes/.exec(line ?? "");
  return m ? `agent read ahead: ${m[1]} ranges, ${formatSize(Number(m[2]), "si")}` : undefined;
}

export const readAheadStep: Step = {
  name: "read-ahead",
  label: "Restoring the image root's read-ahead",
  async run(ctx) {
    const { sys, state } = ctx;
    const bdi = state.bootEnv["lower_bdi"] ?? "";
    const kb = state.bootEnv["lower_read_ahead_kb"] ?? "";
    if (bdi === "" || kb === "") return skipped("the initramfs left the read-ahead as it was");
    // boot.env is ours, but a path built from it must stay under /sys/class/bdi.
    if (!/^\d+:\d+$/.test(bdi) || !/^\d+$/.test(kb)) return skipped(`unexpected lower_bdi='${bdi}' lower_read_ahead_kb='${kb}' in boot.env`);
    const pages = state.bootEnv["agent_pages"] === "learn" ? await learn(ctx) : prefetched(state.bootEnv["agent_prefetch"]);
    await sys.writeFile(`/sys/class/bdi/${bdi}/read_ahead_kb`, kb);
    return ok(`read_ahead_kb of ${state.lower} back to ${kb}${pages === undefined ? "" : `; ${pages}`}`);
  },
};

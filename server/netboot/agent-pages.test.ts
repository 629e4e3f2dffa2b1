import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { failureMessage } from "../../test/helpers/failure.ts";
import { tempDir } from "../../test/helpers/tmp.ts";
import { AgentPages, checkRanges, LEARN_LEASE_MS, mergeRanges, renderPlan } from "./agent-pages.ts";

function setup(content = "x".repeat(100_000)) {
  const tmp = tempDir("walt-agent-pages-");
  const binary = join(tmp.path, "walt");
  writeFileSync(binary, content);
  let now = 1_000_000;
  const make = (): AgentPages => new AgentPages({ dir: join(tmp.path, "pages"), binary, nowMs: () => now, log: silentLogger });
  return { tmp, binary, make, advance: (ms: number) => void (now += ms) };
}

describe("agent pages", () => {
  test("one node learns, the others boot as before; once learnt, every node gets the merged ranges", async () => {
    const s = setup();
    using _ = s.tmp;
    const pages = s.make();
    expect(await pages.plan("10.0.0.2", true)).toEqual({ kind: "learn", size: 100_000 });
    expect(await pages.plan("10.0.0.3", true)).toEqual({ kind: "none", why: "another node is learning" });
    expect(await pages.plan("10.0.0.3", false)).toEqual({ kind: "none", why: "not learnt yet" });
    // The learning node asking again (a reboot before its report) keeps its turn.
    expect((await pages.plan("10.0.0.2", true)).kind).toBe("learn");
    expect(await failureMessage(pages.learned("10.0.0.3", 100_000, [[0, 4096]], "vn3"))).toContain("vn3 was not asked to learn the agent's pages.");
    expect(await pages.learned("10.0.0.2", 100_000, [[0, 4096], [8192, 4096], [40960, 8192]], "vn2")).toBe(3);
    // 4096..8192 is a gap of one page: read as one range; 16384..40960 is not.
    const plan = await pages.plan("10.0.0.3", true);
    expect(plan).toEqual({ kind: "prefetch", size: 100_000, ranges: [[0, 12288], [40960, 8192]] });
    expect(renderPlan(plan)).toBe("prefetch 100000\n0 12288\n40960 8192\n");
    // Kept on disk: a restarted server prefetches at once.
    expect((await s.make().plan("10.0.0.9", true)).kind).toBe("prefetch");
  });

  test("the learning turn passes on when its lease runs out", async () => {
    const s = setup();
    using _ = s.tmp;
    const pages = s.make();
    expect((await pages.plan("10.0.0.2", true)).kind).toBe("learn");
    s.advance(LEARN_LEASE_MS + 1);
    expect((await pages.plan("10.0.0.3", true)).kind).toBe("learn");
    expect(await failureMessage(pages.learned("10.0.0.2", 100_000, [[0, 4096]], "vn2"))).toContain("not asked");
  });

  test("reports that do not fit the server's agent are refused and nothing is stored", async () => {
    const s = setup();
    using _ = s.tmp;
    const pages = s.make();
    await pages.plan("10.0.0.2", true);
    expect(await failureMessage(pages.learned("10.0.0.2", 99, [[0, 4096]], "vn2"))).toContain("vn2 ran a 99-byte agent, this server's is 100000 bytes.");
    expect(await failureMessage(pages.learned("10.0.0.2", 100_000, [[8192, 4096], [0, 4096]], "vn2"))).toContain("range 1 (0) overlaps or precedes the one before");
    expect(await failureMessage(pages.learned("10.0.0.2", 100_000, [[98_304, 4096]], "vn2"))).toContain("goes past the end of the 100000-byte file");
    expect(await failureMessage(pages.learned("10.0.0.2", 100_000, [], "vn2"))).toContain("no range");
    expect((await pages.plan("10.0.0.2", true)).kind).toBe("learn");
  });

  test("another agent build learns again; a damaged file is ignored", async () => {
    const s = setup();
    using _ = s.tmp;
    const pages = s.make();
    await pages.plan("10.0.0.2", true);
    await pages.learned("10.0.0.2", 100_000, [[0, 4096]], "vn2");
    writeFileSync(s.binary, "y".repeat(100_000)); // same size, other content (a rebuilt server)
    const fresh = s.make();
    expect(await fresh.plan("10.0.0.2", true)).toEqual({ kind: "learn", size: 100_000 });
    const [file] = readdirSync(join(s.tmp.path, "pages"));
    writeFileSync(join(s.tmp.path, "pages", file ?? ""), "{not json");
    writeFileSync(s.binary, "x".repeat(100_000));
    expect((await s.make().plan("10.0.0.5", true)).kind).toBe("learn");
  });

  test("no agent binary: no plan", async () => {
    const pages = new AgentPages({ dir: "/nonexistent", binary: undefined, nowMs: () => 0, log: silentLogger });
    expect(renderPlan(await pages.plan("10.0.0.2", true))).toBe("none\n");
  });

  test("range helpers", () => {
    expect(checkRanges([[0, 1], [1, 1]], 2)).toBeUndefined();
    expect(mergeRanges([[0, 10], [20, 10], [100, 5]], 10)).toEqual([[0, 30], [100, 5]]);
  });
});

import { describe, expect, test } from "bun:test";
import { FakeSys } from "../sys/fake.ts";
import { fakeContext } from "../testing.ts";
import { readAheadStep, SELF_EXE } from "./read-ahead.ts";

const BDI = "/sys/class/bdi/0:24/read_ahead_kb";

describe("read-ahead step", () => {
  test("puts back the read-around the initramfs recorded in boot.env", async () => {
    const sys = new FakeSys({ [BDI]: "32" });
    const bootEnv = { lower_bdi: "0:24", lower_read_ahead_kb: "128" };
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv, lower: "/run/walt/lower" }));
    expect(sys.files.get(BDI)).toBe("128");
    expect(r).toEqual({ status: "ok", detail: "read_ahead_kb of /run/walt/lower back to 128" });
  });

  test("nothing recorded (standalone boot, another initramfs): skipped, nothing written", async () => {
    const sys = new FakeSys({});
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv: {} }));
    expect(r.status).toBe("skipped");
    expect(sys.only("write")).toEqual([]);
  });

  test("values that would build another path are refused", async () => {
    const sys = new FakeSys({});
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv: { lower_bdi: "../../../etc", lower_read_ahead_kb: "1" } }));
    expect(r).toEqual({ status: "skipped", detail: "unexpected lower_bdi='../../../etc' lower_read_ahead_kb='1' in boot.env" });
    expect(sys.only("write")).toEqual([]);
  });

  test("a learning node reports the agent's pages in the page cache before the read-around comes back", async () => {
    const sys = new FakeSys({ [BDI]: "0" });
    sys.resident.set(SELF_EXE, { size: 115_000_000, ranges: [[0, 36864], [1_048_576, 2_000_000]] });
    const ctx = fakeContext(sys, { bootEnv: { lower_bdi: "0:24", lower_read_ahead_kb: "128", agent_pages: "learn" } });
    ctx.state.config.mac = "52:54:00:12:34:56";
    const r = await readAheadStep.run(ctx);
    expect(ctx.posts).toEqual([{ path: "/api/node/v1/agent-pages", body: { mac: "52:54:00:12:34:56", size: 115_000_000, ranges: [[0, 36864], [1_048_576, 2_000_000]] } }]);
    // mincore first, then the read-around: pages faulted in after the restore would come with read-around.
    expect(sys.only("resident", "write")).toEqual([`resident ${SELF_EXE}`, `write ${BDI}`]);
    expect(r).toEqual({ status: "ok", detail: "read_ahead_kb of /run/walt/lower back to 128; agent pages learnt: 2 ranges, 2.0 MB, sent to the server" });
  });

  test("learning that fails (server refuses, mincore fails) still restores the read-around and says why", async () => {
    const sys = new FakeSys({ [BDI]: "0" });
    sys.resident.set(SELF_EXE, { size: 8192, ranges: [[0, 4096]] });
    const ctx = fakeContext(sys, { bootEnv: { lower_bdi: "0:24", lower_read_ahead_kb: "128", agent_pages: "learn" } });
    ctx.postFails = "vn1 was not asked to learn the agent's pages.";
    expect((await readAheadStep.run(ctx)).detail).toBe("read_ahead_kb of /run/walt/lower back to 128; agent pages not learnt: vn1 was not asked to learn the agent's pages.");
    expect(sys.files.get(BDI)).toBe("128");
    const bare = new FakeSys({ [BDI]: "0" });
    const r = await readAheadStep.run(fakeContext(bare, { bootEnv: { lower_bdi: "0:24", lower_read_ahead_kb: "128", agent_pages: "learn" } }));
    expect(r.detail).toBe(`read_ahead_kb of /run/walt/lower back to 128; agent pages not learnt: mincore ${SELF_EXE}: failed`);
  });

  test("a prefetched boot says how much the initramfs read ahead", async () => {
    const sys = new FakeSys({ [BDI]: "32" });
    const bootEnv = { lower_bdi: "0:24", lower_read_ahead_kb: "128", agent_pages: "prefetched", agent_prefetch: "walt-prefetch: 412 ranges, 18874368 bytes" };
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv }));
    expect(r.detail).toBe("read_ahead_kb of /run/walt/lower back to 128; agent read ahead: 412 ranges, 18.9 MB");
    expect(sys.only("resident")).toEqual([]);
  });
});

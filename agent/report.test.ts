import { describe, expect, test } from "bun:test";
import { BootStepsReport } from "../src/api/agent.ts";
import { manualClock } from "../src/clock.ts";
import { createReporter, reportUrl, type ReportTarget } from "./report.ts";

function recorder(fail: () => Error | number | undefined = () => undefined) {
  const posted: { url: string; body: BootStepsReport }[] = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    posted.push({ url, body: BootStepsReport.parse(JSON.parse(String(init.body))) });
    const f = fail();
    if (f instanceof Error) return Promise.reject(f);
    return Promise.resolve(new Response("{}", { status: f ?? 200 }));
  };
  return { posted, fetch };
}

describe("boot step reporter", () => {
  test("keeps steps until the server is known, then posts them in one batch with the MAC and times", async () => {
    const clock = manualClock(1_000_000);
    let target: ReportTarget | undefined;
    const r = recorder();
    const reporter = createReporter({ target: () => target, clock, fetch: r.fetch });
    await reporter.report("early-mounts", "ok", "all present");
    expect(r.posted).toEqual([]);
    clock.advance(5);
    target = { server: "10.0.0.1", mac: "52:54:00:00:00:01" };
    await reporter.report("cmdline", "ok", "server 10.0.0.1");
    expect(r.posted).toEqual([
      {
        url: "http://10.0.0.1/api/node/v1/boot-steps",
        body: {
          mac: "52:54:00:00:00:01",
          steps: [
            { step: "early-mounts", status: "ok", detail: "all present", time: 1_000_000 },
            { step: "cmdline", status: "ok", detail: "server 10.0.0.1", time: 1_000_005 },
          ],
        },
      },
    ]);
    expect(reporter.pending()).toEqual([]);
  });

  test("an unreachable or failing server never throws: steps wait for the next report and the console is told once", async () => {
    const warnings: string[] = [];
    const outcomes: (Error | number | undefined)[] = [new Error("Unable to connect"), 503, undefined];
    const r = recorder(() => outcomes.shift());
    const reporter = createReporter({ target: () => ({ server: "10.0.0.1", mac: undefined }), clock: manualClock(0), fetch: r.fetch, warn: (l) => warnings.push(l) });
    await reporter.report("a", "ok", "");
    await reporter.report("b", "skipped", "");
    expect(reporter.pending().map((s) => s.step)).toEqual(["a", "b"]);
    await reporter.report("c", "failed", "boom");
    expect(r.posted.map((p) => p.body.steps.map((s) => s.step))).toEqual([["a"], ["a", "b"], ["a", "b", "c"]]);
    expect(r.posted[0]?.body.mac).toBeNull();
    expect(reporter.pending()).toEqual([]);
    expect(warnings).toEqual(["walt-init: could not report to the server (Unable to connect); booting on"]);
  });

  test("keeps at most 64 unsent steps, and long details are cut to the contract's limit", async () => {
    const r = recorder(() => new Error("down"));
    const reporter = createReporter({ target: () => ({ server: "s", mac: undefined }), clock: manualClock(0), fetch: r.fetch });
    for (let i = 0; i < 70; i++) await reporter.report(`s${i}`, "ok", "x".repeat(3000));
    expect(reporter.pending()).toHaveLength(64);
    expect(reporter.pending()[0]?.step).toBe("s6");
    expect(reporter.pending()[0]?.detail).toHaveLength(2000);
  });

  test("brackets bare IPv6 server addresses in the URL", () => {
    expect(reportUrl("fd00::1")).toBe("http://[fd00::1]/api/node/v1/boot-steps");
    expect(reportUrl("10.0.0.1:8080")).toBe("http://10.0.0.1:8080/api/node/v1/boot-steps");
  });
});

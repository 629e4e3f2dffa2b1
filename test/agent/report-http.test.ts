// The reporter over real HTTP: a server that records, one that is down, one that never answers.
import { describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { createReporter } from "../../agent/report.ts";
import { BOOT_STEPS_PATH, BootStepsReport } from "../../src/api/agent.ts";
import { systemClock } from "../../src/clock.ts";

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe("boot step reports over HTTP", () => {
  test("posts valid reports to /api/node/v1/boot-steps", async () => {
    const got: unknown[] = [];
    using server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (req) => {
        got.push({ path: new URL(req.url).pathname, body: BootStepsReport.parse(await req.json()) });
        return Response.json({ recorded: 1 });
      },
    });
    const reporter = createReporter({ target: () => ({ server: `127.0.0.1:${server.port}`, mac: "52:54:00:00:00:02" }), clock: systemClock });
    await reporter.report("overlay", "ok", "RAM overlay");
    expect(got).toEqual([{ path: BOOT_STEPS_PATH, body: { mac: "52:54:00:00:00:02", steps: [expect.objectContaining({ step: "overlay", status: "ok" })] } }]);
    expect(reporter.pending()).toEqual([]);
  });

  test("an unreachable server neither throws nor holds the boot", async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const reporter = createReporter({ target: () => ({ server: `127.0.0.1:${port}`, mac: undefined }), clock: systemClock, warn: (l) => warnings.push(l) });
    const started = Date.now();
    await reporter.report("persist", "failed", "no /persist");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reporter.pending()).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  test("a server that accepts but never answers is given up after the timeout", async () => {
    using server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => undefined) });
    const reporter = createReporter({ target: () => ({ server: `127.0.0.1:${server.port}`, mac: undefined }), clock: systemClock, timeoutMs: 200 });
    const started = Date.now();
    await reporter.report("swap", "ok", "");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reporter.pending()).toHaveLength(1);
  });
});

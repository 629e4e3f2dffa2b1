/**
 * Log ingestion from nodes over a real socket on port 0: the issuer is the registered device whose IP
 * sent the request; unknown addresses and malformed bodies are refused and nothing is stored.
 */
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { resolveConfig } from "../../server/config/config.ts";
import { startServer } from "../../server/server.ts";
import { registerDevice } from "../../server/devices/register.ts";
import { tempDir } from "../helpers/tmp.ts";

async function withServer(fn: (url: string, s: Awaited<ReturnType<typeof startServer>>) => Promise<void>): Promise<void> {
  using dir = tempDir();
  const s = await startServer(resolveConfig({}, { dataDir: dir.path, port: 0, listen: "127.0.0.1" }), createLogger({ write: () => undefined }));
  try {
    await fn(s.url, s);
  } finally {
    await s.stop();
  }
}

const lines = async (s: Awaited<ReturnType<typeof startServer>>, stream: string): Promise<string[]> => {
  await s.ctx.logs.flush();
  const out: string[] = [];
  for await (const b of s.ctx.logs.history({ streamRe: new RegExp(`^${stream}$`) }, {})) out.push(...b.map((r) => r.line));
  return out;
};

describe("node log endpoint", () => {
  test("stores plain lines under the device that sent them", async () => {
    await withServer(async (url, s) => {
      await registerDevice(s.ctx, { mac: "52:54:00:00:00:42", ip: "127.0.0.1", type: "node", model: "pc-x86-64", virtual: true, name: "vn42" });
      const r = await fetch(`${url}/api/node/v1/logs/test-suite`, { method: "POST", body: "testing\nsecond line\n" });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ accepted: 2 });
      expect(await lines(s, "test-suite")).toEqual(["testing", "second line"]);
    });
  });

  test("accepts NDJSON with node-provided timestamps", async () => {
    await withServer(async (url, s) => {
      await registerDevice(s.ctx, { mac: "52:54:00:00:00:43", ip: "127.0.0.1", type: "node", model: "pc-x86-64", virtual: true, name: "vn43" });
      const ts = Date.now() / 1000 - 5;
      const r = await fetch(`${url}/api/node/v1/logs/app`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: JSON.stringify({ ts, line: "stamped" }) + "\n" });
      expect(r.status).toBe(200);
      let got: number | undefined;
      for await (const b of s.ctx.logs.history({ streamRe: /^app$/ }, {})) got = b[0]?.tsUs;
      expect(Math.abs((got ?? 0) - Math.round(ts * 1e6))).toBeLessThan(2);
    });
  });

  test("refuses an address that is not a registered device, storing nothing", async () => {
    await withServer(async (url, s) => {
      const r = await fetch(`${url}/api/node/v1/logs/intruder`, { method: "POST", body: "hello\n" });
      expect(r.status).toBe(403);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("FORBIDDEN");
      expect(body.error.message).toBe("No device with IP 127.0.0.1 is registered; log lines refused.");
      expect(await lines(s, "intruder")).toEqual([]);
    });
  });

  test("refuses malformed NDJSON and invalid stream names", async () => {
    await withServer(async (url, s) => {
      await registerDevice(s.ctx, { mac: "52:54:00:00:00:44", ip: "127.0.0.1", type: "node", model: "pc-x86-64", virtual: true, name: "vn44" });
      const bad = await fetch(`${url}/api/node/v1/logs/app`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: '{"line": 1}\n' });
      expect(bad.status).toBe(400);
      const name = await fetch(`${url}/api/node/v1/logs/${encodeURIComponent("bad name!")}`, { method: "POST", body: "x\n" });
      expect(name.status).toBe(400);
      expect(await lines(s, "app")).toEqual([]);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
    });
  });
});

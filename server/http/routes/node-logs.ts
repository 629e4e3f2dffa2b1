/**
 * Log ingestion from nodes (`walt-log-echo`/`walt-log-cat` equivalents): `POST /api/node/v1/logs/<stream>`
 * with one line per body line, or NDJSON `{"ts":<seconds>,"line":...}` with content-type
 * application/x-ndjson. The issuer is the registered device whose IP sent the request (WALT §5.1);
 * unknown addresses are refused and nothing is stored.
 */
import type { Hono } from "hono";
import { WaltError } from "../../../src/errors.ts";
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import type { IpOf } from "../contract.ts";

const STREAM = /^[A-Za-z0-9_.:-]{1,128}$/;

export function nodeLogRoutes(app: Hono, ctx: ServerContext, ipOf: IpOf): void {
  app.post("/api/node/v1/logs/:stream", async (c) => {
    const stream = c.req.param("stream");
    if (!STREAM.test(stream)) throw new WaltError("BAD_REQUEST", `Invalid stream name '${stream}'.`);
    const ip = ipOf(c);
    const device = await new DeviceRepo(ctx.db).byIp(ip);
    if (!device) throw new WaltError("FORBIDDEN", `No device with IP ${ip} is registered; log lines refused.`);
    const text = await c.req.text();
    const ndjson = (c.req.header("content-type") ?? "").includes("ndjson");
    const lines: { line: string; tsUs?: number }[] = [];
    for (const raw of text.split("\n")) {
      if (raw === "") continue;
      if (!ndjson) {
        lines.push({ line: raw });
        continue;
      }
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        throw new WaltError("BAD_REQUEST", "Malformed NDJSON line in request body.");
      }
      const o = v as { ts?: unknown; line?: unknown };
      if (typeof o.line !== "string") throw new WaltError("BAD_REQUEST", "Each NDJSON line needs a string 'line'.");
      lines.push(typeof o.ts === "number" ? { line: o.line, tsUs: Math.round(o.ts * 1e6) } : { line: o.line });
    }
    await ctx.logs.ingest(device.mac, stream, lines);
    return c.json({ accepted: lines.length });
  });
}

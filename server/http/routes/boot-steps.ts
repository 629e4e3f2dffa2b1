/**
 * `POST /api/node/v1/boot-steps` (src/api/agent.ts): the agent's boot steps, into the node's boot timeline and
 * its WALT log stream `walt-init`; the hand-over step marks the node booted. No token: the node is the registered
 * device whose IP sent the request, and a MAC in the body must be that device's.
 */
import type { Hono } from "hono";
import { BootStepsReport, BOOT_STEPS_PATH } from "../../../src/api/agent.ts";
import { WaltError } from "../../../src/errors.ts";
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import type { IpOf } from "../contract.ts";

export function bootStepRoutes(app: Hono, ctx: ServerContext, ipOf: IpOf): void {
  app.post(BOOT_STEPS_PATH, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new WaltError("BAD_REQUEST", "Malformed JSON in request body.");
    }
    const parsed = BootStepsReport.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new WaltError("BAD_REQUEST", `Invalid boot steps report: ${i?.path.join(".") || "body"}: ${i?.message ?? "invalid"}.`);
    }
    const ip = ipOf(c);
    const repo = new DeviceRepo(ctx.db);
    const device = parsed.data.mac === null ? await repo.byIp(ip) : await repo.byMac(parsed.data.mac);
    if (device?.type !== "node") throw new WaltError("FORBIDDEN", `No node with ${parsed.data.mac === null ? `IP ${ip}` : `MAC ${parsed.data.mac}`} is registered; boot steps refused.`);
    if (device.ip !== ip) throw new WaltError("FORBIDDEN", `Boot steps of ${device.name} must come from its address ${device.ip ?? "(none)"}, not ${ip}.`);
    if (ctx.netboot === undefined) throw new WaltError("UNAVAILABLE", "Network boot is disabled on this server.");
    await ctx.netboot.observer.steps(device.mac, parsed.data.steps);
    return c.json({ recorded: parsed.data.steps.length });
  });
}

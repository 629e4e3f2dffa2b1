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
import { jsonBody, type IpOf } from "../contract.ts";

export function bootStepRoutes(app: Hono, ctx: ServerContext, ipOf: IpOf): void {
  app.post(BOOT_STEPS_PATH, async (c) => {
    const report = await jsonBody(c, BootStepsReport, "boot steps report");
    const ip = ipOf(c);
    const repo = new DeviceRepo(ctx.db);
    const device = report.mac === null ? await repo.byIp(ip) : await repo.byMac(report.mac);
    if (device?.type !== "node") throw new WaltError("FORBIDDEN", `No node with ${report.mac === null ? `IP ${ip}` : `MAC ${report.mac}`} is registered; boot steps refused.`);
    if (device.ip !== ip) throw new WaltError("FORBIDDEN", `Boot steps of ${device.name} must come from its address ${device.ip ?? "(none)"}, not ${ip}.`);
    if (ctx.netboot === undefined) throw new WaltError("UNAVAILABLE", "Network boot is disabled on this server.");
    await ctx.netboot.observer.steps(device.mac, report.steps);
    return c.json({ recorded: report.steps.length });
  });
}

/**
 * `GET|POST /api/node/v1/agent-pages` (src/api/agent.ts, server/netboot/agent-pages.ts): the read-ahead plan of the
 * agent for a booting node's initramfs, and the pages a learning node's agent touched. No token, as for boot
 * steps: a report must come from the registered node's own address.
 */
import type { Hono } from "hono";
import { AGENT_PAGES_PATH, AgentPagesReport } from "../../../src/api/agent.ts";
import { WaltError } from "../../../src/errors.ts";
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { renderPlan } from "../../netboot/agent-pages.ts";
import { jsonBody, type IpOf } from "../contract.ts";

export function agentPagesRoutes(app: Hono, ctx: ServerContext, ipOf: IpOf): void {
  app.get(AGENT_PAGES_PATH, async (c) => {
    const plan = ctx.netboot === undefined ? ({ kind: "none", why: "network boot disabled" } as const) : await ctx.netboot.agentPages.plan(ipOf(c), c.req.query("learn") === "1");
    return c.text(renderPlan(plan));
  });

  app.post(AGENT_PAGES_PATH, async (c) => {
    const report = await jsonBody(c, AgentPagesReport, "agent pages report");
    const ip = ipOf(c);
    const device = await new DeviceRepo(ctx.db).byIp(ip);
    if (device?.type !== "node") throw new WaltError("FORBIDDEN", `No node has the address ${ip}; agent pages refused.`);
    if (report.mac !== null && report.mac !== device.mac) throw new WaltError("FORBIDDEN", `Agent pages of ${report.mac} must come from its own address, not ${ip}.`);
    if (ctx.netboot === undefined) throw new WaltError("UNAVAILABLE", "Network boot is disabled on this server.");
    const kept = await ctx.netboot.agentPages.learned(ip, report.size, report.ranges, device.name);
    return c.json({ kept });
  });
}

/**
 * The hono application: CLI contract (/api/cli/v1), WALT-compatible web API (/api/v1), node endpoints
 * (/api/node/v1) and /health. Every error leaves as the one envelope `{error:{code,message,hint}}`.
 */
import { Hono, type Context } from "hono";
import { WaltError } from "../../src/errors.ts";
import type { ServerContext } from "../context.ts";
import { UserRepo } from "../users/tokens.ts";
import { binder, type IpOf } from "./contract.ts";
import { metaRoutes } from "./routes/meta.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { nodeRoutes } from "./routes/nodes.ts";
import { logRoutes } from "./routes/logs.ts";
import { completionRoutes } from "./routes/complete.ts";
import { nodeLogRoutes } from "./routes/node-logs.ts";
import { imageRoutes } from "./routes/images.ts";
import { webApiRoutes } from "../webapi/routes.ts";
import { bootStepRoutes } from "./routes/boot-steps.ts";
import { agentPagesRoutes } from "./routes/agent-pages.ts";
import { bootFileRoutes } from "./routes/boot-files.ts";
import { rebootImageNodes } from "../netboot/image-reboot.ts";
import { imageContentRoutes } from "./routes/image-content.ts";

/** Build the app. `ipOf` tells the peer address (Bun's requestIP in production, a fixed value in tests). */
export function createApp(ctx: ServerContext, ipOf: IpOf = () => "127.0.0.1"): Hono {
  const app = new Hono();
  let requestSeq = 0;

  app.onError((err, c) => {
    if (err instanceof WaltError) return c.json(err.toEnvelope(), err.status as 400);
    const id = `req-${Date.now().toString(36)}-${++requestSeq}`;
    ctx.log.error("http: internal error", { id, path: c.req.path, error: err.stack ?? String(err) });
    return c.json({ error: { code: "INTERNAL", message: `Internal server error (request id ${id}).`, hint: "see the server's log for details" } }, 500);
  });
  app.notFound((c: Context) => c.json({ error: { code: "NOT_FOUND", message: `No such endpoint: ${c.req.method} ${c.req.path}` } }, 404));

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/", (c) =>
    c.html(
      "<!doctype html><title>WalT server HTTP service</title><h1>WalT server HTTP service</h1>" +
        '<ul><li><a href="/api">/api</a>: web API</li><li>/boot: node boot files</li><li>/doc: documentation (<code>walt help show</code>)</li></ul>',
    ),
  );

  const b = binder(app, new UserRepo(ctx.db, ctx.clock), ipOf);
  metaRoutes(b, ctx);
  deviceRoutes(b, ctx);
  nodeRoutes(b, ctx);
  logRoutes(b, ctx);
  completionRoutes(b, ctx);
  // cp, shell and build share the busy marks of the other image commands (a squash excludes a shell).
  imageContentRoutes(app, b, ctx, { tasks: imageRoutes(b, ctx, ctx.netboot ? { rebootNodes: rebootImageNodes(ctx) } : {}).tasks });
  nodeLogRoutes(app, ctx, ipOf);
  bootStepRoutes(app, ctx, ipOf);
  agentPagesRoutes(app, ctx, ipOf);
  bootFileRoutes(app, ctx, ipOf);
  webApiRoutes(app, ctx);
  return app;
}

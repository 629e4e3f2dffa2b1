/**
 * The routes of the WALT-compatible read-only web API, with the settings dependency passed in
 * (routes.ts wires the real one; tests pass a stub so they do not depend on the settings module).
 * No authentication, as in WALT: the web API only reads platform state.
 */
import type { Context, Hono } from "hono";
import type { ServerContext } from "../context.ts";
import { withWebApiErrors } from "./errors.ts";
import { queryParams } from "./filters.ts";
import { listImages } from "./images.ts";
import { listLogs } from "./logs.ts";
import { listNodes, type ConfigOf } from "./nodes.ts";

/** The page of /api (WALT's wording; its documentation link points to our /doc). */
export const API_PAGE = `<!doctype html>
<html>
<head><title>WalT web API</title></head>
<body>
<h2>WalT web API</h2>

WalT provides the following web API entrypoints:
<ul>
  <li> <b><a href="/api/v1/nodes">/api/v1/nodes</a></b> </li>
  <li> <b><a href="/api/v1/images">/api/v1/images</a></b> </li>
  <li> <b>/api/v1/logs</b> (no web-link here, because some query parameters are mandatory!) </li>
</ul>

Checkout <a href="/doc/web-api.html">the web API documentation</a> for more info.
</body>
</html>
`;

export function mountWebApi(app: Hono, ctx: ServerContext, configOf: ConfigOf): void {
  const json = (c: Context, produce: (params: ReadonlyMap<string, string>) => Promise<object>) =>
    withWebApiErrors(c, async () => c.json(await produce(queryParams(c.req.url))));

  app.get("/api", (c) => c.html(API_PAGE));
  app.get("/api/index.html", (c) => c.html(API_PAGE));
  // The node list is read far more often than it changes (dashboards poll it): replies are cached per
  // query string until the next write to devices or nodes (Db.changes).
  const cache = new Map<string, string>();
  let cachedGen = -1;
  app.get("/api/v1/nodes", (c) => {
    if (cachedGen !== ctx.db.changes.generation) {
      cache.clear();
      cachedGen = ctx.db.changes.generation;
    }
    const hit = cache.get(c.req.url.slice(c.req.url.indexOf("?") >>> 0));
    if (hit !== undefined) return c.body(hit, 200, { "content-type": "application/json" });
    return withWebApiErrors(c, async () => {
      const gen = ctx.db.changes.generation;
      const body = JSON.stringify(await listNodes(ctx, queryParams(c.req.url), configOf));
      if (gen === ctx.db.changes.generation && cache.size < 256) cache.set(c.req.url.slice(c.req.url.indexOf("?") >>> 0), body);
      return c.body(body, 200, { "content-type": "application/json" });
    });
  });
  app.get("/api/v1/images", (c) => json(c, (p) => listImages(ctx, p)));
  app.get("/api/v1/logs", (c) => json(c, (p) => listLogs(ctx, p)));
}

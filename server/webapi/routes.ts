/** Entry point of the WALT-compatible web API (/api, /api/v1/{nodes,images,logs}), mounted by server/http/app.ts. */
import type { Hono } from "hono";
import type { ServerContext } from "../context.ts";
import { webApiConfig } from "../settings/index.ts";
import { mountWebApi } from "./mount.ts";

export function webApiRoutes(app: Hono, ctx: ServerContext): void {
  mountWebApi(app, ctx, webApiConfig);
}

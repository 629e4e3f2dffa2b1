/** Handshake and identity endpoints. */
import { registerUser, serverInfo, whoami } from "../../../src/api/meta.ts";
import { API_VERSION, VERSION } from "../../../src/version.ts";
import type { ServerContext } from "../../context.ts";
import { UserRepo } from "../../users/tokens.ts";
import type { Binder } from "../contract.ts";

export function metaRoutes(b: Binder, ctx: ServerContext): void {
  const users = new UserRepo(ctx.db, ctx.clock);
  b.call(serverInfo, async () => ({ version: VERSION, apiVersion: API_VERSION, timeUs: ctx.clock.nowUs(), serverName: "walt-server" }));
  b.call(registerUser, async ({ username }) => ({ username, token: await users.register(username) }));
  b.call(whoami, async (_i, caller) => ({ username: caller.user }));
}

/** The server's own WALT log lines: issuer = the server device, stream `platform.<topic>`. */
import type { ServerContext } from "../context.ts";

export async function platformLog(ctx: Pick<ServerContext, "logs" | "serverMac" | "log">, topic: string, line: string): Promise<void> {
  ctx.log.info(`platform.${topic}: ${line}`);
  await ctx.logs.ingest(ctx.serverMac, `platform.${topic}`, [{ line }]);
}

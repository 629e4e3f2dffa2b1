/**
 * `GET /boot/<path>` (WALT §6.6): a file of the requesting node's boot tree, `nodes/<ip>/tftp/<path>` with the
 * TFTP service's mapping and containment rules, `ip` being `?node_ip=` or the requester's address. What iPXE
 * fetches over HTTP (much faster than lockstep TFTP). WALT answers 404 `No such file.`.
 */
import type { Hono } from "hono";
import { isIpv4 } from "../../../src/domain/net.ts";
import type { ServerContext } from "../../context.ts";
import { bootRoots } from "../../netboot/services.ts";
import { fileRoute, TftpRefusal, waltMapPath } from "../../tftp/routes.ts";
import type { IpOf } from "../contract.ts";

const CHUNK = 256 * 1024;

export function bootFileRoutes(app: Hono, ctx: ServerContext, ipOf: IpOf): void {
  const route = fileRoute(ctx.config.dataDir, waltMapPath, { name: "http-boot", allowedRoots: bootRoots(ctx.config.dataDir) });
  app.get("/boot/*", async (c) => {
    const path = decodeURIComponent(c.req.path.slice("/boot/".length));
    const override = c.req.query("node_ip");
    const ip = override !== undefined && isIpv4(override) ? override : ipOf(c);
    const notFound = (): Response => c.text("No such file.", 404);
    let file;
    try {
      const r = await route.tryServe({ path, clientIp: ip, clientPort: 0 });
      if (!r.handled) return notFound();
      file = await r.open();
    } catch (e) {
      if (e instanceof TftpRefusal) return e.tftpCode === 1 ? notFound() : c.text("Forbidden.", 403);
      throw e;
    }
    const f = file;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        const chunk = await f.read(offset, Math.min(CHUNK, f.size - offset));
        offset += chunk.length;
        if (chunk.length > 0) ctl.enqueue(chunk);
        if (chunk.length === 0 || offset >= f.size) {
          ctl.close();
          await f.close();
          ctx.netboot?.observer.bootFile(ip, path, offset, undefined, "http");
        }
      },
      async cancel() {
        await f.close();
        ctx.netboot?.observer.bootFile(ip, path, offset, "client left before the end", "http");
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream", "content-length": String(f.size) } });
  });
}

/**
 * Run by bench/dhcp.ts inside its server namespace: the real WALT server (SQLite in a temp dir, HTTP on
 * a loopback port) plus the DHCP service on 0.0.0.0:67, walt-net = argv[2] (e.g. 10.77.0.1/16).
 * Only the DHCP service: the server's own network boot services stay off. Prints `ready` once listening; stops
 * on SIGTERM.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../src/log.ts";
import { resolveConfig } from "../server/config/config.ts";
import { startServer } from "../server/server.ts";
import { createDhcpService } from "../server/dhcp/service.ts";

const cidr = process.argv[2] ?? "10.77.0.1/16";
const dir = mkdtempSync(join(tmpdir(), "walt-bench-dhcp-"));
// netboot off: by default (`auto`) a server inside a named network namespace starts its own network boot
// services, DHCP on port 67 included, and this bench's DHCP service would then fail with EADDRINUSE.
const config = resolveConfig({ netboot: false, network: { "walt-net": { ip: cidr } } }, { dataDir: dir, port: 0, listen: "127.0.0.1" });
const server = await startServer(config, createLogger({ level: "error" }));
const dhcp = createDhcpService(server.ctx, { port: 67 });
await dhcp.start();
process.stdout.write("ready\n");

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await dhcp.stop(AbortSignal.timeout(2000));
    await server.stop(2000);
    rmSync(dir, { recursive: true, force: true }); // nothing left open: the process ends here
  })();
});

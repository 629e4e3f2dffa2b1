/** Shared bench helpers: a real server (compiled binary's code, in-process) with N registered nodes. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../src/log.ts";
import { resolveConfig } from "../server/config/config.ts";
import { startServer, type RunningServer } from "../server/server.ts";
import { registerDevice } from "../server/devices/register.ts";

export async function serverWithNodes(n: number): Promise<{ server: RunningServer; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "walt-bench-"));
  const config = resolveConfig({}, { dataDir: dir, port: 0, listen: "127.0.0.1" });
  const server = await startServer(config, createLogger({ level: "error" }));
  await server.ctx.db.tx(async () => {
    for (let i = 0; i < n; i++) {
      const b = [(i >> 16) & 255, (i >> 8) & 255, i & 255].map((x) => x.toString(16).padStart(2, "0")).join(":");
      await registerDevice(server.ctx, { mac: `52:54:00:${b}`, ip: `192.168.${152 + (i >> 8)}.${(i & 255) + 2}`, type: "node", model: "pc-x86-64", virtual: true, name: `vnode${i}` });
    }
  });
  return {
    server,
    dir,
    close: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

export async function timeSpawn(argv: string[], env: Record<string, string | undefined>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = Bun.spawn(argv, { env, stdout: "ignore", stderr: "pipe" });
    const code = await p.exited;
    if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${await new Response(p.stderr).text()}`);
    times.push(performance.now() - t0);
  }
  return times;
}

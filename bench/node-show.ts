/**
 * `walt node show` with 1000 registered nodes: wall time of the compiled CLI, as a ratio to a bare
 * `bun -e 0` start measured in the same run (goal ≤ 2.0).
 */
import { join } from "node:path";
import { median, serverWithNodes, timeSpawn } from "./lib.ts";

const ROOT = join(import.meta.dir, "..");
const RUNS = 15;

export async function benchNodeShow(): Promise<Record<string, number>> {
  const s = await serverWithNodes(1000);
  try {
    const env = { PATH: process.env["PATH"], HOME: s.dir, WALT_CONFIG: join(s.dir, "client.conf"), WALT_SERVER: s.server.url, WALT_USER: "bench" };
    const walt = join(ROOT, "dist", "walt");
    await timeSpawn([walt, "node", "show", "--all"], env, 1); // registers the user
    const show = median(await timeSpawn([walt, "node", "show", "--all"], env, RUNS));
    const bare = median(await timeSpawn([join(ROOT, "node_modules", ".bin", "bun"), "-e", "0"], env, RUNS));
    const r = { nodeShowMs: show, bunStartMs: bare, ratio: show / bare };
    console.log(`node show (1000 nodes): ${show.toFixed(1)} ms median of ${RUNS}; bun -e 0: ${bare.toFixed(1)} ms; ratio ${r.ratio.toFixed(2)} (goal <= 2.0)`);
    return r;
  } finally {
    await s.close();
  }
}

if (import.meta.main) await benchNodeShow();

/** `/api/v1/nodes` with 1000 nodes under wrk (Debian): latency percentiles (goal p99 < 10 ms). */
import { serverWithNodes } from "./lib.ts";

export async function benchWebApi(): Promise<Record<string, number>> {
  const s = await serverWithNodes(1000);
  try {
    const url = `${s.server.url}/api/v1/nodes`;
    const check = await fetch(url);
    const body = (await check.json()) as { num_nodes: number };
    if (body.num_nodes !== 1000) throw new Error(`expected 1000 nodes, got ${body.num_nodes}`);
    const p = Bun.spawn(["wrk", "-t2", "-c8", "-d10s", "--latency", url], { stdout: "pipe", stderr: "pipe" });
    const out = await new Response(p.stdout).text();
    if ((await p.exited) !== 0) throw new Error(`wrk failed: ${await new Response(p.stderr).text()}`);
    const pct = (q: string): number => {
      const m = new RegExp(`^\\s+${q}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
      if (!m?.[1]) return NaN;
      const v = Number(m[1]);
      return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
    };
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
    const r = { p50Ms: pct("50"), p99Ms: pct("99"), requestsPerS: rps };
    console.log(`/api/v1/nodes (1000 nodes, wrk 2 threads 8 conns 10 s): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (goal < 10 ms), ${rps} req/s`);
    return r;
  } finally {
    await s.close();
  }
}

if (import.meta.main) await benchWebApi();

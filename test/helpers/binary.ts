/** The compiled binary under test: built once per test run when missing or older than the sources. */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", "walt");

export async function ensureBinary(): Promise<string> {
  const fresh = existsSync(BINARY) && statSync(BINARY).mtimeMs > Date.now() - 30 * 60_000;
  if (!fresh) {
    const p = Bun.spawn([process.execPath, "build.ts"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if ((await p.exited) !== 0) throw new Error(`build failed: ${await new Response(p.stderr).text()}`);
  }
  return BINARY;
}

/** Start `walt server` on port 0; resolves with its URL once it printed it. */
export async function startBinaryServer(dataDir: string, cwd: string): Promise<{ proc: Bun.Subprocess<"ignore", "pipe", "pipe">; url: string; stderr(): string }> {
  const proc = Bun.spawn([BINARY, "server", "--data-dir", dataDir, "--port", "0", "--listen", "127.0.0.1"], { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { PATH: process.env["PATH"] ?? "" } });
  let err = "";
  void (async () => {
    for await (const c of proc.stderr.pipeThrough(new TextDecoderStream())) err += c;
  })();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m?.[1]) {
      reader.releaseLock();
      return { proc, url: m[1], stderr: () => err };
    }
  }
  proc.kill("SIGKILL");
  throw new Error(`server did not start: stdout=${out} stderr=${err}`);
}

export async function runBinary(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BINARY, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

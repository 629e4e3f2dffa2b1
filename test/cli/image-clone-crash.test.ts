/**
 * A server killed (SIGKILL) in the middle of `walt image clone`: after a restart the image store is
 * consistent (no tag, no partial or unreferenced blob left) and the same clone succeeds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { pushImage } from "../helpers/oci-image.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { tempDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/wait-for.ts";

const ROOT = join(import.meta.dir, "..", "..");
let reg: TestRegistry;
let digest: string;
const BIG = 64 * 1024 * 1024;

beforeAll(async () => {
  reg = await startRegistry();
  const big = new Uint8Array(BIG);
  for (let i = 0; i < BIG; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
  digest = await pushImage(reg.url, "walt/big", "latest", { layers: [{ "etc/small": "x\n" }, { "data/big.bin": big }], gzip: false });
}, 60_000);
afterAll(async () => {
  await reg[Symbol.asyncDispose]();
});

/** `walt server` from the sources, in a child process. */
async function startServer(dataDir: string, configFile: string): Promise<{ proc: Bun.Subprocess<"ignore", "pipe", "pipe">; url: string }> {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts"), "server", "--config", configFile, "--data-dir", dataDir, "--port", "0", "--listen", "127.0.0.1"], {
    cwd: ROOT,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  void new Response(proc.stderr).text();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server did not start: ${out}`);
    out += value;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m?.[1]) {
      reader.releaseLock();
      return { proc, url: m[1].replace(/\/$/, "") };
    }
  }
}

const files = (dir: string): string[] => readdirSync(dir).filter((f) => !f.startsWith("."));

describe("a server killed during a clone", () => {
  test("restarts with a consistent store, and the clone can be run again", async () => {
    using tmp = tempDir();
    const data = join(tmp.path, "data");
    const configFile = join(tmp.path, "server.conf");
    const u = new URL(reg.url);
    writeFileSync(configFile, `log-level: error\nregistries:\n  - label: local\n    api: docker-registry-v2\n    host: ${u.hostname}\n    port: ${u.port}\n    protocol: http\n    auth: none\n`);
    const env = { WALT_USER: "alice", WALT_CONFIG: join(tmp.path, "client.conf"), HOME: tmp.path };
    const clone = (url: string): Promise<{ code: number; out: string; err: string }> => {
      const io = memoryIo({ env: { ...env, WALT_SERVER: url } });
      return runCli(["image", "clone", "local:walt/big"], io, {}).then((code) => ({ code, out: io.out(), err: io.err() }));
    };

    const first = await startServer(data, configFile);
    const running = clone(first.url);
    const tmpDir = join(data, "images", "tmp");
    // Killed while the big layer is half written into the store's tmp dir (a small blob may be renamed into the
    // store between the listing and the stat: not an error).
    await waitFor(() => files(tmpDir).some((f) => f.startsWith("blob-") && (statSync(join(tmpDir, f), { throwIfNoEntry: false })?.size ?? 0) > 1024 * 1024), "a partial blob", 30_000, 2);
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    const failed = await running;
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("Network connection to WalT server failed!");

    const second = await startServer(data, configFile);
    try {
      expect(files(tmpDir)).toEqual([]);
      expect(files(join(data, "images", "oci", "blobs", "sha256"))).toEqual([]);
      const again = await clone(second.url);
      expect(again).toEqual({ code: 0, out: 'Downloading walt/big:latest... done.\nImage "big" was cloned successfully (cf. walt image show).\n', err: "" });
      const index = (await Bun.file(join(data, "images", "oci", "index.json")).json()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
      expect(index.manifests.map((m) => [m.annotations["org.opencontainers.image.ref.name"], m.digest])).toEqual([["alice/big:latest", digest]]);
    } finally {
      second.proc.kill("SIGTERM");
      await second.proc.exited;
    }
  }, 60_000);
});

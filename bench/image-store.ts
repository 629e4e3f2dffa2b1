/**
 * Image store: unpack of a default image by our store vs `umoci unpack` on the same OCI layout (same run,
 * alternating, goal ratio ≥ 1.0 in speed), disk used by two images sharing their base layer (goal: counted
 * once), and clone time from a local registry (Debian's docker-registry).
 *
 *   bun bench/image-store.ts [debian|busybox]   (debian builds pc-x86-64-default once: minutes, cached)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/clock.ts";
import { createLogger } from "../src/log.ts";
import { openDb } from "../server/db/db.ts";
import { ImageStore } from "../server/images/store/store.ts";
import { buildDefaultLayout } from "../server/images/defaults/build.ts";
import { RegistryClient } from "../server/images/registry/index.ts";
import { startRegistry } from "../test/helpers/registry.ts";
import { median } from "./lib.ts";

const RUNS = 3;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function benchImageStore(which: "debian" | "busybox" = "busybox"): Promise<Record<string, number>> {
  const log = createLogger({ level: "error" });
  const cacheDir = process.env["WALT_IMAGE_CACHE"] ?? join(homedir(), ".cache", "walt", "image-recipes");
  const layout = join(cacheDir, "layouts", which);
  const built = await buildDefaultLayout(which, layout, { cacheDir, log });
  const work = mkdtempSync(join(tmpdir(), "walt-bench-store-"));
  try {
    const db = await openDb({ kind: "sqlite", path: join(work, "walt.db") });
    let store = await ImageStore.open(join(work, "data"), db, log, systemClock);
    const [imported] = await store.importLayout(layout, built.fullname);
    if (!imported) throw new Error("nothing imported");
    await store.tag(built.fullname, imported.digest);
    const ours: number[] = [];
    const umoci: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await timed(() => store.rootfs(imported.digest)));
      // Drop the unpacked tree and reopen the store, so the next run unpacks again.
      rmSync(join(work, "data", "images", "rootfs", imported.digest.slice(7)), { recursive: true, force: true });
      store = await ImageStore.open(join(work, "data"), db, log, systemClock);
      const bundle = join(work, `bundle-${i}`);
      umoci.push(
        await timed(async () => {
          const p = Bun.spawn(["umoci", "unpack", "--image", `${layout}:${built.fullname}`, bundle], { stdout: "ignore", stderr: "pipe" });
          if ((await p.exited) !== 0) throw new Error(`umoci failed: ${await new Response(p.stderr).text()}`);
        }),
      );
      rmSync(bundle, { recursive: true, force: true });
    }
    const unpackRatio = median(umoci) / median(ours);
    console.log(`unpack ${built.fullname}: walt ${median(ours).toFixed(0)} ms, umoci ${median(umoci).toFixed(0)} ms (median of ${RUNS}); speed ratio ${unpackRatio.toFixed(2)} (goal >= 1.0)`);

    // Two images sharing the base: a retag costs nothing; the store counts each blob once.
    const before = store.diskUsage();
    await store.tag("alice/copy:latest", imported.digest);
    const after = store.diskUsage();
    console.log(`disk: one image ${(before / 1e6).toFixed(1)} MB, two images sharing it ${(after / 1e6).toFixed(1)} MB (goal: base counted once)`);

    await using reg = await startRegistry();
    const client = new RegistryClient({ baseUrl: reg.url });
    const manifestBytes = new Uint8Array(await Bun.file(store.blobs.path(imported.digest)).arrayBuffer());
    await client.push("bench/img", "latest", manifestBytes, "application/vnd.oci.image.manifest.v1+json", store.blobs);
    const fresh = await ImageStore.open(join(work, "fresh"), await openDb({ kind: "sqlite", path: join(work, "fresh.db") }), log, systemClock);
    const cloneMs = await timed(async () => {
      await fresh.hold(async () => {
        const r = await client.pull("bench/img", "latest", fresh.blobs);
        void r;
        const digest = await fresh.putManifest(manifestBytes);
        await fresh.tag("alice/cloned:latest", digest);
      });
    });
    console.log(`clone from a local registry: ${cloneMs.toFixed(0)} ms for ${(before / 1e6).toFixed(1)} MB`);
    await db.close();
    return { oursMs: median(ours), umociMs: median(umoci), unpackRatio, sharedBytes: after, singleBytes: before, cloneMs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchImageStore(process.argv[2] === "debian" ? "debian" : "busybox");

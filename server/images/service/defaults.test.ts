import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, type Logger } from "../../../src/log.ts";
import { writeLayoutImage } from "../../../test/helpers/oci-image.ts";
import { startTestServer } from "../../../test/helpers/server.ts";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { importDefaultImages } from "./defaults.ts";

const PC = "waltplatform/pc-x86-64-default:latest";

function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ write: (l) => void lines.push(l), level: "debug" }), lines };
}

describe("importDefaultImages (server start)", () => {
  test("imports the images of each layout of the directory when absent, once", async () => {
    await using s = await startTestServer();
    using dir = tempDir();
    const pc = await writeLayoutImage(join(dir.path, "debian"), PC, { created: "2024-05-01T00:00:00Z" });
    const bb = await writeLayoutImage(join(dir.path, "busybox"), "waltplatform/pc-x86-64-busybox:latest", { layers: [{ bin: "sh" }] });
    const { log } = memoryLogger();
    expect(await importDefaultImages(s.ctx, dir.path, log)).toEqual(["waltplatform/pc-x86-64-busybox:latest", PC]);
    expect(await s.ctx.images.resolve(PC)).toBe(pc);
    expect(await s.ctx.images.resolve("waltplatform/pc-x86-64-busybox:latest")).toBe(bb);
    expect(await importDefaultImages(s.ctx, dir.path, log)).toEqual([]);
  });

  test("replaces an older image of the store, never a newer one", async () => {
    await using s = await startTestServer();
    using dir = tempDir();
    const { log } = memoryLogger();
    const v1 = await writeLayoutImage(join(dir.path, "d"), PC, { created: "2024-05-01T00:00:00Z" });
    await importDefaultImages(s.ctx, dir.path, log);
    const v2 = await writeLayoutImage(join(dir.path, "d"), PC, { created: "2024-06-01T00:00:00Z", layers: [{ v: "2" }] });
    expect(await importDefaultImages(s.ctx, dir.path, log)).toEqual([PC]);
    expect(await s.ctx.images.resolve(PC)).toBe(v2);
    await writeLayoutImage(join(dir.path, "d"), PC, { created: "2024-01-01T00:00:00Z", layers: [{ v: "0" }] });
    expect(await importDefaultImages(s.ctx, dir.path, log)).toEqual([]);
    expect(await s.ctx.images.resolve(PC)).toBe(v2);
    expect(v1).not.toBe(v2);
    // the older, unused blobs do not stay in the store
    expect(s.ctx.images.blobs.list().sort()).toEqual((await s.ctx.images.manifest(v2)).layers.map((l) => l.digest).concat([v2, (await s.ctx.images.manifest(v2)).config.digest]).sort());
  });

  test("a missing directory is no default image; bad layouts and images are logged and skipped", async () => {
    await using s = await startTestServer();
    using dir = tempDir();
    const { log, lines } = memoryLogger();
    expect(await importDefaultImages(s.ctx, join(dir.path, "absent"), log)).toEqual([]);
    await writeLayoutImage(join(dir.path, "nolabel"), "waltplatform/x-default:latest", { labels: {} });
    mkdirSync(join(dir.path, "garbage"));
    writeFileSync(join(dir.path, "garbage", "oci-layout"), "not json");
    await writeLayoutImage(join(dir.path, "corrupt"), "waltplatform/y-default:latest", { layers: [{ y: "y" }] });
    const blobs = join(dir.path, "corrupt", "blobs", "sha256");
    for (const f of readdirSync(blobs)) {
      const head = readFileSync(join(blobs, f)).subarray(0, 2);
      if (head[0] === 0x1f && head[1] === 0x8b) writeFileSync(join(blobs, f), "tampered"); // the gzip layer
    }
    await writeLayoutImage(join(dir.path, "good"), PC);
    expect(await importDefaultImages(s.ctx, dir.path, log)).toEqual([PC]);
    const text = lines.join("");
    expect(text).toContain("default images: ignored, no walt.node.models label");
    expect(text).toContain("default images: layout skipped");
    expect(text).toContain("default images: import failed");
    expect((await s.ctx.images.list()).map((i) => i.fullname)).toEqual([PC]);
  });
});

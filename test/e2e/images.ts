/**
 * The images of the end-to-end boot test, as an OCI layout for the server's default-images directory: WALT's
 * busybox test image (built by its recipe, cached across runs) plus one small layer with a boot hook, tagged
 * `waltplatform/pc-x86-64-default:latest` (flavour `default`) and `waltplatform/pc-x86-64-second:latest`
 * (flavour `second`). The hook runs `/persist/on-boot` when the test put one there: that is how the test runs
 * commands on a node before `walt node run` exists.
 */
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { DirBlobSink } from "../../server/images/build/blob-sink.ts";
import { writeImage } from "../../server/images/build/image-writer.ts";
import { writeLayer, type Layer } from "../../server/images/build/layer-writer.ts";
import { findOciRef, writeOciLayout } from "../../server/images/build/oci-layout.ts";
import { buildDefaultLayout } from "../../server/images/defaults/build.ts";

/** The recipes' package cache shared by the tests (server/images/defaults/busybox.test.ts uses the same). */
export const TEST_CACHE = join(tmpdir(), "walt-test-cache");

export const HOOK = `#!/bin/sh
# walt e2e test hook: run /persist/on-boot (written by the test on the server) once per boot.
[ -x /persist/on-boot ] && /persist/on-boot > /persist/on-boot.log 2>&1
exit 0
`;

async function hookLayer(out: DirBlobSink, flavour: string): Promise<Layer> {
  const dir = mkdtempSync(join(tmpdir(), "walt-e2e-layer-"));
  try {
    mkdirSync(join(dir, "etc", "walt", "on-boot.d"), { recursive: true });
    chmodSync(join(dir, "etc"), 0o755);
    chmodSync(join(dir, "etc", "walt"), 0o755);
    chmodSync(join(dir, "etc", "walt", "on-boot.d"), 0o755);
    writeFileSync(join(dir, "etc", "walt", "on-boot.d", "50-e2e"), HOOK, { mode: 0o755 });
    chmodSync(join(dir, "etc", "walt", "on-boot.d", "50-e2e"), 0o755);
    writeFileSync(join(dir, "etc", "walt", "flavour"), `${flavour}\n`, { mode: 0o644 });
    return await writeLayer(dir, out, { owner: { uid: 0, gid: 0 }, clampMtime: new Date("2024-01-01T00:00:00Z") });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface BaseImage {
  layers: Layer[];
  labels: Record<string, string>;
  created: Date;
  cmd?: string[];
  env?: string[];
}

async function readBase(layout: string, ref: string): Promise<BaseImage> {
  const desc = await findOciRef(layout, ref);
  if (!desc) throw new Error(`no ${ref} in ${layout}`);
  const blob = (d: string): Promise<unknown> => Bun.file(join(layout, "blobs", "sha256", d.slice(7))).json();
  const manifest = (await blob(desc.digest)) as { config: { digest: string }; layers: { digest: string; size: number; mediaType: string }[] };
  const config = (await blob(manifest.config.digest)) as { created: string; config: { Labels?: Record<string, string>; Cmd?: string[]; Env?: string[] }; rootfs: { diff_ids: string[] } };
  return {
    layers: manifest.layers.map((l, i) => ({ ...l, diffId: config.rootfs.diff_ids[i] ?? "" })),
    labels: config.config.Labels ?? {},
    created: new Date(config.created),
    ...(config.config.Cmd ? { cmd: config.config.Cmd } : {}),
    ...(config.config.Env ? { env: config.config.Env } : {}),
  };
}

/** Build (or reuse) the busybox layout, then write the test layout at `out`; answers the image full names. */
export async function buildE2eLayout(out: string): Promise<string[]> {
  const busyboxLayout = join(TEST_CACHE, "e2e-layouts", "busybox");
  const built = await buildDefaultLayout("busybox", busyboxLayout, { cacheDir: TEST_CACHE, log: silentLogger });
  const base = await readBase(busyboxLayout, built.fullname);
  const sink = new DirBlobSink(out);
  mkdirSync(sink.blobsDir, { recursive: true });
  for (const name of readdirSync(join(busyboxLayout, "blobs", "sha256"))) {
    if (!name.startsWith(".")) linkSync(join(busyboxLayout, "blobs", "sha256", name), join(sink.blobsDir, name));
  }
  const names: string[] = [];
  for (const flavour of ["default", "second"]) {
    const hook = await hookLayer(sink, flavour);
    const image = await writeImage({ ...base, layers: [...base.layers, hook], architecture: "amd64", os: "linux", out: sink });
    const name = `waltplatform/pc-x86-64-${flavour}:latest`;
    await writeOciLayout(out, name, image);
    names.push(name);
  }
  return names;
}

if (import.meta.main) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: bun test/e2e/images.ts <out-layout-dir>");
  console.log((await buildE2eLayout(out)).join("\n"));
}

/**
 * The image of the opt-in Debian boot test: the Debian default image (its recipe, cached as the demo caches it)
 * plus one small layer with a systemd unit that runs `/persist/on-boot` when the test put one there, tagged
 * `waltplatform/pc-x86-64-default:latest`. That is how the test runs commands on the node before `walt node run`
 * exists; the image is otherwise the default one.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { DirBlobSink } from "../../server/images/build/blob-sink.ts";
import { writeImage } from "../../server/images/build/image-writer.ts";
import { writeLayer, type Layer } from "../../server/images/build/layer-writer.ts";
import { findOciRef, writeOciLayout } from "../../server/images/build/oci-layout.ts";
import { buildDefaultLayout } from "../../server/images/defaults/build.ts";
import { RECIPE_CACHE } from "../../bench/boot-images.ts";

const UNIT = `[Unit]
Description=walt opt-in test hook: /persist/on-boot
After=local-fs.target
ConditionPathExists=/persist/on-boot

[Service]
Type=oneshot
ExecStart=/bin/sh -c '/persist/on-boot > /persist/on-boot.log 2>&1'

[Install]
WantedBy=multi-user.target
`;

async function hookLayer(out: DirBlobSink): Promise<Layer> {
  const dir = mkdtempSync(join(tmpdir(), "walt-optin-layer-"));
  try {
    const wants = join(dir, "etc", "systemd", "system", "multi-user.target.wants");
    mkdirSync(wants, { recursive: true });
    for (const d of ["etc", "etc/systemd", "etc/systemd/system", "etc/systemd/system/multi-user.target.wants"]) chmodSync(join(dir, d), 0o755);
    writeFileSync(join(dir, "etc", "systemd", "system", "walt-optin-hook.service"), UNIT, { mode: 0o644 });
    symlinkSync("../walt-optin-hook.service", join(wants, "walt-optin-hook.service"));
    return await writeLayer(dir, out, { owner: { uid: 0, gid: 0 }, clampMtime: new Date("2024-01-01T00:00:00Z") });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Build (or reuse) the Debian default layout, then write the test layout at `out`. */
export async function buildDebianHookLayout(out: string): Promise<void> {
  const debian = join(RECIPE_CACHE, "layouts", "debian");
  const built = await buildDefaultLayout("debian", debian, { cacheDir: RECIPE_CACHE, log: createLogger({ level: "warn" }) });
  const desc = await findOciRef(debian, built.fullname);
  if (!desc) throw new Error(`no ${built.fullname} in ${debian}`);
  const blob = (d: string): Promise<unknown> => Bun.file(join(debian, "blobs", "sha256", d.slice(7))).json();
  const manifest = (await blob(desc.digest)) as { config: { digest: string }; layers: { digest: string; size: number; mediaType: string }[] };
  const config = (await blob(manifest.config.digest)) as { created: string; config: { Labels?: Record<string, string>; Cmd?: string[]; Env?: string[] }; rootfs: { diff_ids: string[] } };
  const sink = new DirBlobSink(out);
  mkdirSync(sink.blobsDir, { recursive: true });
  // Symlinks: the recipe cache may be on another filesystem than the test's temporary directory.
  for (const name of readdirSync(join(debian, "blobs", "sha256"))) {
    if (!name.startsWith(".")) symlinkSync(join(debian, "blobs", "sha256", name), join(sink.blobsDir, name));
  }
  const image = await writeImage({
    layers: [...manifest.layers.map((l, i) => ({ ...l, diffId: config.rootfs.diff_ids[i] ?? "" })), await hookLayer(sink)],
    labels: config.config.Labels ?? {},
    created: new Date(config.created),
    ...(config.config.Cmd ? { cmd: config.config.Cmd } : {}),
    ...(config.config.Env ? { env: config.config.Env } : {}),
    architecture: "amd64",
    os: "linux",
    out: sink,
  });
  await writeOciLayout(out, built.fullname, image);
}

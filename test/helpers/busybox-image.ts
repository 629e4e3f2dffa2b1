/**
 * A tiny runnable image for the image content tests (cp, shell, build): Debian's static busybox (apt-get download
 * + dpkg-deb -x, cached under the system temp dir like the default-image tests) with its applets, the usual
 * top-level folders, and a few files with distinct modes and a symlink for transfer checks. Written with the
 * image writers (layer-writer, image-writer); the layer is built once into the test cache, then each call stores
 * it with a config into a server's store and tags it.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { writeImage } from "../../server/images/build/image-writer.ts";
import { writeLayer, type Layer } from "../../server/images/build/layer-writer.ts";
import { DirBlobSink } from "../../server/images/build/blob-sink.ts";
import { fetchBusybox } from "../../server/images/defaults/busybox.ts";
import { cachedPath } from "../../server/images/defaults/debs.ts";
import type { ImageStore } from "../../server/images/store/store.ts";

export const TEST_CACHE = join(tmpdir(), "walt-test-cache");

const DIRS: Record<string, number> = {
  bin: 0o755, sbin: 0o755, usr: 0o755, "usr/bin": 0o755, "usr/sbin": 0o755, etc: 0o755, root: 0o700, tmp: 0o1777,
  proc: 0o555, dev: 0o755, opt: 0o755, "opt/data": 0o750,
};

/** The files the tests look for, besides busybox. */
export const TINY_FILES = {
  "etc/passwd": { mode: 0o644, text: "root::0:0:root:/root:/bin/sh\n" },
  "etc/motd": { mode: 0o644, text: "tiny image\n" },
  "opt/data/run.sh": { mode: 0o755, text: "#!/bin/sh\necho run\n" },
  "opt/data/secret": { mode: 0o600, text: "s3cret\n" },
};

/** Bump when the tree below changes: the cached layer is keyed by it and by the busybox version. */
const RECIPE_VERSION = "1";

/**
 * The image's single layer, built once into the test cache (like the Debian packages) and reused by every
 * test process: `<cache>/tiny-image/<busybox version>-<recipe>/` holds `layer.json` and the blob.
 */
async function buildLayer(): Promise<{ layer: Layer; path: string }> {
  const busybox = await fetchBusybox({ cacheDir: TEST_CACHE, log: silentLogger });
  const dir = await cachedPath(join(TEST_CACHE, "tiny-image", `${busybox.pkg.version.replace(/[^A-Za-z0-9.+~-]/g, "_")}-${RECIPE_VERSION}`), async (tmp) => {
    const root = join(tmp, "root");
    for (const [d, mode] of Object.entries(DIRS)) {
      mkdirSync(join(root, d), { recursive: true });
      chmodSync(join(root, d), mode);
    }
    copyFileSync(busybox.path, join(root, "bin/busybox"));
    chmodSync(join(root, "bin/busybox"), 0o755);
    for (const applet of busybox.applets) {
      if (applet === "bin/busybox" || applet === "linuxrc") continue;
      mkdirSync(join(root, posix.dirname(applet)), { recursive: true });
      symlinkSync(posix.relative(posix.dirname(applet), "bin/busybox"), join(root, applet));
    }
    for (const [path, f] of Object.entries(TINY_FILES)) {
      writeFileSync(join(root, path), f.text);
      chmodSync(join(root, path), f.mode);
    }
    symlinkSync("run.sh", join(root, "opt/data/link"));
    const layer = await writeLayer(root, new DirBlobSink(tmp), { owner: { uid: 0, gid: 0 } });
    rmSync(root, { recursive: true, force: true });
    writeFileSync(join(tmp, "layer.json"), JSON.stringify(layer));
  });
  const layer = JSON.parse(readFileSync(join(dir, "layer.json"), "utf8")) as Layer;
  return { layer, path: new DirBlobSink(dir).path(layer.digest) };
}

/** Asked once per test process (finding the busybox version runs `apt-cache policy`, about a second). */
let cachedLayer: Promise<{ layer: Layer; path: string }> | undefined;

/** Store a busybox image tagged `fullname` (labels default to walt.node.models=pc-x86-64); answers its digest. */
export async function storeBusyboxImage(store: ImageStore, fullname: string, labels: Record<string, string> = { "walt.node.models": "pc-x86-64" }): Promise<string> {
  cachedLayer ??= buildLayer();
  const { layer, path } = await cachedLayer;
  await store.blobs.put(Bun.file(path).stream(), layer.digest);
  const img = await writeImage({ layers: [layer], labels, created: new Date("2024-05-06T07:08:09Z"), architecture: "amd64", os: "linux", cmd: ["/bin/sh"], out: store.blobs });
  await store.tag(fullname, img.manifestDigest);
  return img.manifestDigest;
}

/**
 * The images the boot benches boot: WALT's busybox test image and, with `debian`, the Debian default image, both
 * built by their recipes (server/images/defaults/build.ts) into the cache the demo uses (.ci/demo.sh; a recipe
 * whose hash did not change is not rebuilt). `walt node create` needs `waltplatform/pc-x86-64-default`: without
 * Debian, the busybox image is also published under that name (same manifest, nothing added).
 */
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../src/log.ts";
import { buildDefaultLayout } from "../server/images/defaults/build.ts";
import { REF_NAME_ANNOTATION } from "../server/images/build/oci-layout.ts";

export type BenchImages = "busybox" | "debian";

export interface BenchImage {
  kind: "busybox" | "debian";
  /** The image name in the bench user's working set (`walt node boot vn1 <name>`). */
  name: string;
  /** A console line the image's own init prints once it runs: the "booted" mark of the benches. */
  bootedLine: string;
  bootedWhat: string;
}

export const BUSYBOX: BenchImage = {
  kind: "busybox",
  name: "pc-x86-64-busybox",
  bootedLine: "^walt busybox image: /sbin/init on",
  bootedWhat: "its /sbin/init prints `walt busybox image: /sbin/init on <name>`",
};

export const DEBIAN: BenchImage = {
  kind: "debian",
  name: "pc-x86-64-default",
  bootedLine: "Reached target.*Multi-User System",
  bootedWhat: "systemd prints `Reached target multi-user.target`",
};

export const imagesOf = (images: BenchImages): BenchImage[] => (images === "debian" ? [BUSYBOX, DEBIAN] : [BUSYBOX]);

export const RECIPE_CACHE = process.env["WALT_IMAGE_CACHE"] ?? join(homedir(), ".cache", "walt", "image-recipes");

/** Build (or reuse) the layouts; write the server's default-images directory at `out`. */
export async function benchLayouts(out: string, images: BenchImages): Promise<void> {
  const log = createLogger({ level: "warn" });
  const layouts = join(RECIPE_CACHE, "layouts");
  mkdirSync(out, { recursive: true });
  await buildDefaultLayout("busybox", join(layouts, "busybox"), { cacheDir: RECIPE_CACHE, log });
  if (images === "debian") {
    console.log("  (building the Debian default image if its recipe changed: minutes)");
    await buildDefaultLayout("debian", join(layouts, "debian"), { cacheDir: RECIPE_CACHE, log });
    symlinkSync(join(layouts, "busybox"), join(out, "busybox"));
    symlinkSync(join(layouts, "debian"), join(out, "debian"));
    return;
  }
  const dir = join(out, "busybox");
  mkdirSync(dir);
  copyFileSync(join(layouts, "busybox", "oci-layout"), join(dir, "oci-layout"));
  symlinkSync(join(layouts, "busybox", "blobs"), join(dir, "blobs"));
  const index = JSON.parse(readFileSync(join(layouts, "busybox", "index.json"), "utf8")) as { manifests: { annotations?: Record<string, string> }[] };
  const first = index.manifests[0];
  if (first === undefined) throw new Error(`empty OCI layout ${join(layouts, "busybox")}`);
  index.manifests.push({ ...first, annotations: { ...first.annotations, [REF_NAME_ANNOTATION]: "waltplatform/pc-x86-64-default:latest" } });
  writeFileSync(join(dir, "index.json"), JSON.stringify(index));
}

/**
 * Garbage collection of the image store: blobs and unpacked root filesystems that no tag references.
 * A tagged manifest keeps itself, its config and its layers; a rootfs dir is kept when its manifest is tagged.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../../src/log.ts";
import type { BlobStore } from "./blobs.ts";
import type { Manifest } from "./oci.ts";
import { removeTree } from "./unpack-fs.ts";

export interface GcResult {
  blobs: number;
  rootfs: number;
}

export interface GcInput {
  blobs: BlobStore;
  rootfsDir: string;
  /** Manifest digests of every tag. */
  tagged: Set<string>;
  manifest(digest: string): Promise<Manifest>;
  /** Checked once the reachable set is known, just before deleting: false aborts (work started meanwhile). */
  mayDelete(): boolean;
  log: Logger;
}

export async function collectGarbage(input: GcInput): Promise<GcResult> {
  const keep = new Set<string>(input.tagged);
  for (const d of input.tagged) {
    try {
      const m = await input.manifest(d);
      for (const b of [m.config, ...m.layers]) keep.add(b.digest);
    } catch (e) {
      // Keep going: one broken image must not stop collection, and its blobs are unreachable anyway.
      input.log.warn("tagged image manifest unreadable", { digest: d, error: (e as Error).message });
    }
  }
  const result: GcResult = { blobs: 0, rootfs: 0 };
  if (!input.mayDelete()) return result;
  for (const d of input.blobs.list()) {
    if (keep.has(d)) continue;
    input.blobs.remove(d);
    result.blobs++;
  }
  for (const hex of readdirSync(input.rootfsDir)) {
    if (input.tagged.has(`sha256:${hex}`)) continue;
    removeTree(join(input.rootfsDir, hex));
    result.rootfs++;
  }
  return result;
}

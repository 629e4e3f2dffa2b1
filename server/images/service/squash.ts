/**
 * `walt image squash <image>` (WALT main/images/squash.py + blocking squash.py, §4.10): the image's root
 * filesystem (unpacked by the store, whiteouts applied) written back as ONE layer, under the same name. The
 * config is kept (labels, env, command…) but for the layer list, the history and the creation time.
 * An image in use is only squashed once confirmed, and its nodes are rebooted.
 */
import { conflict } from "../../../src/errors.ts";
import type { ServerContext } from "../../context.ts";
import { writeLayer } from "../build/layer-writer.ts";
import { MediaType } from "../store/oci.ts";
import { nodesUsing, type RebootNodes } from "./reboot.ts";
import { lookupImage, type StoredImage } from "./working-set.ts";

type Ctx = Pick<ServerContext, "db" | "images" | "clock">;

/** Images some long task is working on (WALT's `task_label`: `squash process`, `shell session`…). */
export class ImageTasks {
  private readonly running = new Map<string, string>();

  /** WALT's refusal when a task runs on the image. */
  check(fullname: string, name: string): void {
    const label = this.running.get(fullname);
    if (label !== undefined) throw conflict(`Cannot open image ${name} because a ${label} is already running.`);
  }

  async run<T>(fullname: string, name: string, label: string, fn: () => Promise<T>): Promise<T> {
    this.check(fullname, name);
    this.running.set(fullname, label);
    try {
      return await fn();
    } finally {
      this.running.delete(fullname);
    }
  }
}

export type SquashResult = { status: "needs-confirm"; warning: string; messages: string[] } | { status: "done"; messages: string[] };

export const wouldReboot = (n: number): string => `This operation would reboot ${n} node(s) currently using the image.`;

export async function squashImage(ctx: Ctx, tasks: ImageTasks, reboot: RebootNodes, user: string, name: string, confirmed: boolean): Promise<SquashResult> {
  const { image, messages } = await lookupImage(ctx, user, name);
  tasks.check(image.fullname, name);
  if (image.inUse && !confirmed) {
    return { status: "needs-confirm", warning: wouldReboot((await nodesUsing(ctx, [image.fullname])).length), messages };
  }
  await tasks.run(image.fullname, name, "squash process", () => ctx.images.hold(() => squashInto(ctx, image)));
  await ctx.images.gc();
  if (image.inUse) await reboot([image.fullname], "image change");
  return { status: "done", messages: [...messages, "Image was squashed successfully."] };
}

/** Write the one-layer image and point the image's name at it. */
async function squashInto(ctx: Ctx, image: StoredImage): Promise<void> {
  const rootfs = await ctx.images.rootfs(image.digest);
  const manifest = await ctx.images.manifest(image.digest);
  // Unpacked without privileges, owners are the server's: such images are root-owned by convention.
  const owner = process.getuid?.() === 0 ? {} : { owner: { uid: 0, gid: 0 } };
  const layer = await writeLayer(rootfs, ctx.images.blobs, { compression: "gzip", ...owner });
  const config = JSON.parse(new TextDecoder().decode(await ctx.images.blobs.bytes(manifest.config.digest))) as Record<string, unknown>;
  const created = new Date(Math.floor(ctx.clock.nowUs() / 1000)).toISOString();
  config["created"] = created;
  config["rootfs"] = { type: "layers", diff_ids: [layer.diffId] };
  config["history"] = [{ created, created_by: "walt image squash", comment: `${manifest.layers.length} layer(s) squashed into one` }];
  const stored = await ctx.images.blobs.put(JSON.stringify(config));
  const doc = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: stored.digest, size: stored.size },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  };
  const digest = await ctx.images.putManifest(new TextEncoder().encode(JSON.stringify(doc)));
  await ctx.images.tag(image.fullname, digest);
}

/**
 * Users' working sets (WALT §4.1, §4.4): every tagged image with its owner, user-facing name and in-use flag;
 * lookups with WALT's messages; and the default images a user without images receives on first use.
 */
import { conflict, notFound } from "../../../src/errors.ts";
import { defaultImageFullname, formatImageFullname, parseImageFullname, stripLatest } from "../../../src/domain/image-name.ts";
import { validateImageName } from "../../../src/domain/names.ts";
import { autoglob } from "../../../src/text/autoglob.ts";
import type { ImageInfo } from "../../../src/api/images.ts";
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { labelsOf, modelsOf } from "../store/oci.ts";

export type Ctx = Pick<ServerContext, "db" | "images">;

/** An image of the store, with what the commands show about it. */
export interface StoredImage extends ImageInfo {
  digest: string;
}

export const noSuchImage = (name: string): string => `Error: No such image '${name}'. (tip: walt image show)`;
export const imageExists = (name: string): string => `Error: Image '${name}' already exists.`;
export const IMAGE_IN_USE = "Sorry, cannot proceed because the image is in use.";
export const PREFERRED_NAME_LABEL = "walt.image.preferred-name";

const byFullname = (a: StoredImage, b: StoredImage): number => (a.fullname < b.fullname ? -1 : a.fullname > b.fullname ? 1 : 0);

/** Every image of the store (sorted by full name), `inUse` when a node boots it. */
export async function allImages(ctx: Ctx): Promise<StoredImage[]> {
  const [tags, devices] = await Promise.all([ctx.images.list(), new DeviceRepo(ctx.db).all()]);
  const used = new Set(devices.flatMap((d) => (d.node ? [d.node.image] : [])));
  return tags
    .map((t) => {
      const p = parseImageFullname(t.fullname);
      return { fullname: p.fullname, user: p.user, name: p.name, digest: t.digest, inUse: used.has(p.fullname), createdUs: t.createdUs, models: t.models };
    })
    .sort(byFullname);
}

/** The full name of `name` in `user`'s working set; undefined when `name` cannot name an image. */
export function wsFullname(user: string, name: string): string | undefined {
  return name === "" || name.includes("/") ? undefined : formatImageFullname(user, name);
}

/**
 * A user without any image gets a tag of the default image of each node model on the platform (WALT's
 * get_clones_of_default_images), named after its `walt.image.preferred-name` label. Returns WALT's messages.
 */
export async function cloneDefaultImages(ctx: Ctx, user: string): Promise<string[]> {
  if ((await allImages(ctx)).some((i) => i.user === user)) return [];
  let remaining = (await new DeviceRepo(ctx.db).all()).filter((d) => d.type === "node").map((d) => d.model ?? "unknown");
  const messages: string[] = [];
  while (remaining.length > 0) {
    const model = remaining[0] as string;
    const source = defaultImageFullname(model);
    const digest = await ctx.images.resolve(source);
    let models = [model];
    if (digest !== undefined) {
      const config = await ctx.images.config(digest);
      models = modelsOf(config);
      const preferred = labelsOf(config)[PREFERRED_NAME_LABEL];
      const name = preferred !== undefined && validateImageName(preferred) === undefined ? preferred : parseImageFullname(source).name;
      const target = formatImageFullname(user, name);
      if ((await ctx.images.resolve(target)) === undefined) {
        await ctx.images.tag(target, digest);
        // WALT prints "a defaut image": the typo is fixed on purpose.
        messages.push(`Cloned ${stripLatest(name)}, a default image for ${autoglob(models)}.`);
      }
    }
    remaining = remaining.filter((m) => m !== model && !models.includes(m));
  }
  return messages;
}

/**
 * An image of `user`'s working set (WALT's get_user_image_from_name): a user without images first receives
 * the default images; missing → WALT's `No such image` error. `messages` are those of the default clones.
 */
export async function lookupImage(ctx: Ctx, user: string, name: string): Promise<{ image: StoredImage; messages: string[] }> {
  const fullname = wsFullname(user, name);
  let images = await allImages(ctx);
  let messages: string[] = [];
  if (!images.some((i) => i.user === user)) {
    messages = await cloneDefaultImages(ctx, user);
    if (messages.length > 0) images = await allImages(ctx);
  }
  const image = images.find((i) => i.fullname === fullname);
  if (image === undefined) throw notFound(noSuchImage(name));
  return { image, messages };
}

/** Refuse a name already in `user`'s working set (WALT's `expected=False` lookup). */
export async function expectAbsent(ctx: Ctx, user: string, name: string): Promise<string> {
  const fullname = wsFullname(user, name);
  if (fullname === undefined) throw notFound(noSuchImage(name));
  if ((await ctx.images.resolve(fullname)) !== undefined) throw conflict(imageExists(name));
  return fullname;
}

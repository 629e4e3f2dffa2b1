/**
 * Tag operations on a working set (WALT main/images rename.py, duplicate.py, remove.py, fixowner.py): a
 * rename or duplicate is a new tag of the same manifest, a removal drops the tag (blobs are collected when
 * no tag needs them any more).
 */
import { conflict, notFound, usageError } from "../../../src/errors.ts";
import { assertValidImageName } from "../../../src/domain/names.ts";
import { formatImageFullname } from "../../../src/domain/image-name.ts";
import { IMAGE_IN_USE, allImages, expectAbsent, lookupImage, type Ctx } from "./working-set.ts";

/** `walt image rename`: refused while in use or when the new name exists. */
export async function renameImage(ctx: Ctx, user: string, name: string, newName: string): Promise<string[]> {
  assertValidImageName(newName);
  const { image, messages } = await lookupImage(ctx, user, name);
  if (image.inUse) throw conflict(IMAGE_IN_USE);
  const target = await expectAbsent(ctx, user, newName);
  await ctx.images.tag(target, image.digest);
  await ctx.images.untag(image.fullname);
  return messages;
}

/** `walt image duplicate`: a second name for the same image. */
export async function duplicateImage(ctx: Ctx, user: string, name: string, newName: string): Promise<string[]> {
  assertValidImageName(newName);
  const { image, messages } = await lookupImage(ctx, user, name);
  const target = await expectAbsent(ctx, user, newName);
  await ctx.images.tag(target, image.digest);
  return messages;
}

/** `walt image remove`: refused while in use. */
export async function removeImage(ctx: Ctx, user: string, name: string): Promise<string[]> {
  const { image, messages } = await lookupImage(ctx, user, name);
  if (image.inUse) throw conflict(IMAGE_IN_USE);
  await ctx.images.untag(image.fullname);
  await ctx.images.gc();
  return messages;
}

/**
 * `walt advanced fix-image-owner <other_user>`: every image of `other` moves to `user`'s working set.
 * WALT built the new names without the `/` (`alicefoo:latest`, walt-features A.5); they are `alice/foo:latest`
 * here. WALT's "Connot find" typo is fixed too.
 */
export async function fixImageOwner(ctx: Ctx, user: string, other: string): Promise<string[]> {
  if (other === user) throw usageError(`Invalid username. According to your walt.conf file, you are '${other}'!`);
  const theirs = (await allImages(ctx)).filter((i) => i.user === other);
  const inUse = theirs.filter((i) => i.inUse).map((i) => i.name);
  if (inUse.length > 0) throw conflict(`Cannot proceed because some images of ${other} are in use:\n${inUse.join(", ")}`);
  const clashes: string[] = [];
  for (const i of theirs) if ((await ctx.images.resolve(formatImageFullname(user, i.name))) !== undefined) clashes.push(i.name);
  if (clashes.length > 0) {
    throw conflict(`Cannot proceed because the following images of ${other} would overwrite\nthose with the same name in your working set:\n${clashes.join(", ")}`);
  }
  if (theirs.length === 0) throw notFound(`Cannot find any images belonging to a user with name '${other}'.\nMake sure you typed it correctly.`);
  const messages: string[] = [];
  for (const i of theirs) {
    await ctx.images.tag(formatImageFullname(user, i.name), i.digest);
    await ctx.images.untag(i.fullname);
    messages.push(`Image ${i.name} now belongs to you.`);
  }
  return messages;
}

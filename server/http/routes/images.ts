/** Image endpoints (`walt image …`, `walt advanced fix-image-owner|update-default-images`). */
import * as api from "../../../src/api/images.ts";
import type { ServerContext } from "../../context.ts";
import { ImageService, type ImageServiceDeps } from "../../images/service/service.ts";
import type { Binder } from "../contract.ts";

export function imageRoutes(b: Binder, ctx: ServerContext, deps: ImageServiceDeps = {}): ImageService {
  const svc = new ImageService(ctx, deps);
  b.call(api.showImages, (_i, c) => svc.show(c.user));
  b.call(api.renameImage, async (i, c) => ({ messages: await svc.rename(c.user, i.image, i.newName) }));
  b.call(api.duplicateImage, async (i, c) => ({ messages: await svc.duplicate(c.user, i.image, i.newName) }));
  b.call(api.removeImage, async (i, c) => ({ messages: await svc.remove(c.user, i.image) }));
  b.call(api.fixImageOwner, async (i, c) => ({ messages: await svc.fixOwner(c.user, i.otherUser) }));
  b.call(api.squashImage, (i, c) => svc.squash(c.user, i.image, i.confirmed));
  b.call(api.listRegistries, async () => ({ registries: svc.listRegistries() }));
  b.stream(api.cloneImage, (i, c) => svc.clone(c.user, { link: i.link, name: i.name, force: i.force }, i.credentials, c.signal));
  b.stream(api.publishImage, (i, c) => svc.publish(c.user, i.registry, i.image, i.credentials, c.signal));
  b.stream(api.searchImages, async (i, c) => svc.search(c.user, i.keyword, i.credentials, c.signal));
  b.stream(api.updateDefaultImages, async (i, c) => svc.updateDefaults(i.credentials, c.signal));
  return svc;
}

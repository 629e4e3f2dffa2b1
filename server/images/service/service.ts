/**
 * ImageService: the image commands on the server side, one method per endpoint of src/api/images.ts.
 * Everything it needs comes from the server context plus two injected dependencies: what to do with the nodes
 * of a changed image (`rebootNodes`) and, for tests, the fetch registries are reached with.
 */
import type { ImageEvent, ImageInfo, RegistryCredentials, SearchEvent } from "../../../src/api/images.ts";
import type { ServerContext } from "../../context.ts";
import type { FetchFn } from "../registry/index.ts";
import { planClone, runClone, type CloneRequest } from "./clone.ts";
import { importDefaultImages, updateDefaultImages } from "./defaults.ts";
import { eventsOf } from "./events.ts";
import { duplicateImage, fixImageOwner, removeImage, renameImage } from "./manage.ts";
import { planPublish, runPublish } from "./publish.ts";
import { logRebootNodes, type RebootNodes } from "./reboot.ts";
import type { RegistryDeps } from "./registries.ts";
import { searchImages } from "./search.ts";
import { ImageTasks, squashImage, type SquashResult } from "./squash.ts";
import { allImages, cloneDefaultImages } from "./working-set.ts";

export interface ImageServiceDeps {
  /** Default: a platform log line naming the nodes to reboot (network boot comes later). */
  rebootNodes?: RebootNodes | undefined;
  fetch?: FetchFn | undefined;
}

export class ImageService {
  /** Images a long task works on (shared with image shells and copies when they come). */
  readonly tasks = new ImageTasks();
  private readonly reboot: RebootNodes;

  constructor(
    private readonly ctx: ServerContext,
    private readonly deps: ImageServiceDeps = {},
  ) {
    this.reboot = deps.rebootNodes ?? logRebootNodes(ctx);
  }

  private registries(credentials: RegistryCredentials): RegistryDeps {
    return { registries: this.ctx.config.registries, credentials, log: this.ctx.log, fetch: this.deps.fetch };
  }

  /** Every image (a user without images first receives the default ones, WALT §4.4). */
  async show(user: string): Promise<{ username: string; messages: string[]; images: ImageInfo[] }> {
    const messages = await cloneDefaultImages(this.ctx, user);
    const images = (await allImages(this.ctx)).map(({ digest: _digest, ...info }) => info);
    return { username: user, messages, images };
  }

  rename(user: string, image: string, newName: string): Promise<string[]> {
    return renameImage(this.ctx, user, image, newName);
  }

  duplicate(user: string, image: string, newName: string): Promise<string[]> {
    return duplicateImage(this.ctx, user, image, newName);
  }

  remove(user: string, image: string): Promise<string[]> {
    return removeImage(this.ctx, user, image);
  }

  fixOwner(user: string, other: string): Promise<string[]> {
    return fixImageOwner(this.ctx, user, other);
  }

  squash(user: string, image: string, confirmed: boolean): Promise<SquashResult> {
    return squashImage(this.ctx, this.tasks, this.reboot, user, image, confirmed);
  }

  /** Refusals are thrown before the stream starts; then the transfer's events. */
  async clone(user: string, req: CloneRequest, credentials: RegistryCredentials, signal: AbortSignal): Promise<AsyncIterable<ImageEvent>> {
    const plan = await planClone(this.ctx, this.registries(credentials), user, req, signal);
    return eventsOf((emit, sig) => runClone(this.ctx, plan, this.reboot, emit, sig), signal);
  }

  async publish(user: string, registry: string, image: string, credentials: RegistryCredentials, signal: AbortSignal): Promise<AsyncIterable<ImageEvent>> {
    const plan = await planPublish(this.ctx, this.registries(credentials), user, registry, image);
    return eventsOf((emit, sig) => runPublish(this.ctx, plan, emit, sig), signal);
  }

  search(user: string, keyword: string | undefined, credentials: RegistryCredentials, signal: AbortSignal): AsyncIterable<SearchEvent> {
    return eventsOf((emit, sig) => searchImages(this.ctx, this.registries(credentials), user, keyword, emit, sig), signal);
  }

  listRegistries(): { label: string; description: string }[] {
    return this.ctx.config.registries.map((r) => ({ label: r.label, description: r.description }));
  }

  updateDefaults(credentials: RegistryCredentials, signal: AbortSignal): AsyncIterable<ImageEvent> {
    return eventsOf((emit, sig) => updateDefaultImages(this.ctx, this.ctx.config.defaultImagesDir, this.registries(credentials), this.reboot, emit, sig), signal);
  }

  /** At server start. */
  importDefaults(): Promise<string[]> {
    return importDefaultImages(this.ctx, this.ctx.config.defaultImagesDir, this.ctx.log);
  }
}

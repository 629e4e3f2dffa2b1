/**
 * What image-content sessions share with the other image commands (server/images/service): the working-set
 * lookup (a user without images first receives the default ones), the busy marks (ImageTasks: a squash and a
 * shell cannot run on the same image), the hook rebooting the nodes of an overwritten image; plus WALT's
 * overwrite and reboot warnings.
 */
import { join } from "node:path";
import { formatSentence } from "../../../src/text/sentence.ts";
import type { ServerContext } from "../../context.ts";
import { logRebootNodes, nodesUsing, type RebootNodes } from "../service/reboot.ts";
import { ImageTasks } from "../service/squash.ts";
import { lookupImage } from "../service/working-set.ts";

/** An image of a working set. */
export interface UserImage {
  /** `user/repo:tag`. */
  fullname: string;
  /** The user-facing name (`repo` or `repo:tag`). */
  name: string;
  /** Manifest digest. */
  digest: string;
}

export interface ContentDeps {
  /** The busy marks of the other image commands (ImageService.tasks), so that they exclude each other. */
  tasks?: ImageTasks;
  /** Default: a platform log line naming the nodes to reboot (network boot comes later). */
  rebootNodes?: RebootNodes;
}

export class ImageContentService {
  readonly tasks: ImageTasks;
  /** Working copies and build directories (`<dataDir>/images/tmp`, emptied at start). */
  readonly tmp: string;
  private readonly reboot: RebootNodes;

  constructor(
    readonly ctx: ServerContext,
    deps: ContentDeps = {},
  ) {
    this.tmp = join(ctx.images.dir, "tmp");
    this.tasks = deps.tasks ?? new ImageTasks();
    this.reboot = deps.rebootNodes ?? logRebootNodes(ctx);
  }

  /** The image `name` of `user`'s working set; WALT's error when there is none. */
  async lookup(user: string, name: string): Promise<UserImage> {
    const { image } = await lookupImage(this.ctx, user, name);
    return { fullname: image.fullname, name: image.name, digest: image.digest };
  }

  /** Names of the nodes booting `fullname`. */
  nodesUsing(fullname: string): Promise<string[]> {
    return nodesUsing(this.ctx, [fullname]);
  }

  /** WALT's MSG_WOULD_OVERWRITE_IMAGE (two lines, no final newline). */
  async overwriteWarning(fullname: string): Promise<string> {
    const n = (await this.nodesUsing(fullname)).length;
    return `An image has the same name in your working set.\nThis operation would overwrite it${n === 0 ? "" : ` (and reboot ${n} node(s))`}.`;
  }

  /** WALT's MSG_WOULD_REBOOT_NODES, when some node uses the image. */
  async rebootWarning(fullname: string): Promise<string | undefined> {
    const n = (await this.nodesUsing(fullname)).length;
    return n === 0 ? undefined : `This operation would reboot ${n} node(s) currently using the image.`;
  }

  /** After `fullname` was overwritten: reboot the nodes using it; answers the lines WALT prints. */
  async afterOverwrite(fullname: string): Promise<string[]> {
    const nodes = await this.nodesUsing(fullname);
    if (nodes.length === 0) return [];
    await this.reboot([fullname], "image change");
    return [formatSentence("Trying to reboot %s using this image...", nodes, "node", "nodes")];
  }
}

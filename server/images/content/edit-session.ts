/**
 * One edit of an image (WALT's ImageShellSession): the image is marked busy with a task label, changed in a
 * writable working copy, then saved — the diff against the original root filesystem becomes one new layer on
 * top of the image's layers, tagged under the same name (overwrite, nodes rebooted) or a new one.
 * While a session is open, the store's gc is held off so the base image's blobs stay.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import { formatImageFullname, parseImageFullname } from "../../../src/domain/image-name.ts";
import { validateImageName } from "../../../src/domain/names.ts";
import type { SaveStatus } from "../../../src/api/image-content.ts";
import { MAX_LAYERS, commitLayer, layerLimitMessage } from "./commit.ts";
import { diffTrees } from "./diff.ts";
import type { ImageContentService, UserImage } from "./service.ts";
import { makeWorkingCopy, type CopyKind, type WorkingCopy } from "./working-copy.ts";

export interface SaveResult {
  status: SaveStatus;
  stdout: string[];
  stderr: string[];
}

export class EditSession {
  private copy: WorkingCopy | undefined;
  private saved = false;
  private closed = false;

  private constructor(
    private readonly svc: ImageContentService,
    private readonly user: string,
    readonly image: UserImage,
    private readonly taskLabel: string,
    private readonly end: () => void,
  ) {}

  /** Open a session on `user`'s image `name` (WALT's checks, in WALT's order: exists, layer limit, busy). */
  static async open(svc: ImageContentService, user: string, name: string, taskLabel: string): Promise<EditSession> {
    const image = await svc.lookup(user, name);
    const manifest = await svc.ctx.images.manifest(image.digest);
    if (manifest.layers.length >= MAX_LAYERS) throw new WaltError("PRECONDITION", layerLimitMessage(name));
    // The image is busy, and gc held off, until close() ends `session`.
    svc.tasks.check(image.fullname, name);
    let end!: () => void;
    const session = new Promise<void>((r) => (end = r));
    void svc.tasks.run(image.fullname, name, taskLabel, () => svc.ctx.images.hold(() => session));
    return new EditSession(svc, user, image, taskLabel, end);
  }

  /** The image's read-only root filesystem (unpacked once by the store). */
  rootfs(): Promise<string> {
    return this.svc.ctx.images.rootfs(this.image.digest);
  }

  /** The writable copy, made on first use. */
  async workingCopy(kind: CopyKind): Promise<WorkingCopy> {
    if (this.copy) return this.copy;
    mkdirSync(this.svc.tmp, { recursive: true });
    this.copy = await makeWorkingCopy(await this.rootfs(), this.svc.tmp, kind);
    if (this.closed) this.copy.remove();
    return this.copy;
  }

  /** WALT's image_shell_session_save: validate the name, then commit the changes under it. */
  async save(newName: string, confirmed: boolean): Promise<SaveResult> {
    const bad = validateImageName(newName);
    if (bad !== undefined) return { status: "NAME_NOT_OK", stdout: [], stderr: [bad] };
    const fullname = formatImageFullname(this.user, newName);
    const overwrite = fullname === this.image.fullname;
    if (overwrite && !confirmed) return { status: "NAME_NEEDS_CONFIRM", stdout: [], stderr: [await this.svc.overwriteWarning(fullname)] };
    if (!overwrite && (await this.svc.ctx.images.resolve(fullname)) !== undefined) {
      return { status: "NAME_NOT_OK", stdout: [], stderr: ["Bad name: Image already exists."] };
    }
    if (this.saved || this.closed) throw new WaltError("CONFLICT", "This image session was already saved or closed.");
    this.saved = true;
    await this.commit(fullname);
    const name = parseImageFullname(fullname).name;
    if (!overwrite) return { status: "OK", stdout: [`New image ${name} saved.`], stderr: [] };
    return { status: "OK", stdout: [`Image ${name} updated.`, ...(await this.svc.afterOverwrite(fullname))], stderr: [] };
  }

  /** Diff the working copy against the original, store the new layer and image, tag it `fullname`. */
  private async commit(fullname: string): Promise<void> {
    const store = this.svc.ctx.images;
    const copy = this.copy;
    await store.hold(async () => {
      let digest = this.image.digest;
      if (copy !== undefined) {
        const diffDir = join(copy.dir, "diff");
        mkdirSync(diffDir);
        const { changes } = diffTrees(await this.rootfs(), copy.root, diffDir);
        // No change: no empty layer (it would only count towards the 128-layer limit).
        if (changes > 0) {
          const createdBy = `walt image ${this.taskLabel === "file transfer" ? "cp" : "shell"}`;
          digest = await commitLayer({ store, base: this.image.digest, diffDir, createdBy, now: new Date(this.svc.ctx.clock.nowUs() / 1000) });
        }
      }
      await store.tag(fullname, digest);
    });
  }

  /** End the session: the working copy goes, the image is free again. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.copy?.remove();
    this.end();
  }
}

/**
 * The image store facade (docs/image-store.md): blobs, manifests, tags, root filesystems, garbage collection.
 *
 * Crash consistency: blobs appear only complete (temp + rename), a manifest is accepted only when all its
 * blobs are present, a tag (database row, then index.json) only when its manifest is, and rootfs dirs appear
 * only complete. So a server killed mid-clone or mid-unpack leaves temp files and unreferenced blobs only;
 * open() empties tmp/ and collects them, and the clone can simply be run again.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { WaltError, notFound } from "../../../src/errors.ts";
import type { Clock } from "../../../src/clock.ts";
import type { Logger } from "../../../src/log.ts";
import { parseImageFullname } from "../../../src/domain/image-name.ts";
import type { Db } from "../../db/db.ts";
import { ImageRepo } from "../repo.ts";
import { BlobStore, digestHex, isDigest } from "./blobs.ts";
import { collectGarbage, type GcResult } from "./gc.ts";
import { importLayout, type ImportedImage } from "./import-layout.ts";
import { writeLayout, type LayoutEntry } from "./layout.ts";
import { MediaType, createdUsOf, modelsOf, parseConfig, parseManifest, type ImageConfig, type Manifest } from "./oci.ts";
import { removeTree } from "./unpack-fs.ts";
import { unpackImage } from "./unpack.ts";

export type { GcResult } from "./gc.ts";
export type { ImportedImage } from "./import-layout.ts";

export interface TaggedImage {
  fullname: string;
  digest: string;
  models: string[];
  createdUs: number;
}

export class ImageStore {
  readonly blobs: BlobStore;
  private readonly repo: ImageRepo;
  private readonly tmp: string;
  private readonly rootfsDir: string;
  private readonly unpacking = new Map<string, Promise<string>>();
  private indexWrite: Promise<void> = Promise.resolve();
  /** Running operations whose blobs are not tagged yet (imports, pulls, unpacks): gc is skipped meanwhile. */
  private holds = 0;

  private constructor(
    readonly dir: string,
    db: Db,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.tmp = join(dir, "tmp");
    this.rootfsDir = join(dir, "rootfs");
    this.blobs = new BlobStore(join(dir, "oci"), this.tmp);
    this.repo = new ImageRepo(db);
  }

  /** Open (creating) `<dataDir>/images`, empty its tmp dir, rewrite index.json and collect garbage. */
  static async open(dataDir: string, db: Db, log: Logger, clock: Clock): Promise<ImageStore> {
    const dir = join(dataDir, "images");
    removeTree(join(dir, "tmp"));
    for (const sub of ["tmp", "rootfs", "oci"]) mkdirSync(join(dir, sub), { recursive: true });
    const store = new ImageStore(dir, db, log, clock);
    await store.writeIndex();
    const gc = await store.gc();
    if (gc.blobs + gc.rootfs > 0) log.info("image store: removed unreferenced data", { blobs: gc.blobs, rootfs: gc.rootfs });
    return store;
  }

  /** Run `fn` while gc is kept away (for work that stores blobs before tagging them). */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await fn();
    } finally {
      this.holds--;
    }
  }

  /** Store an image manifest whose config and layers are all stored already; returns its digest. */
  async putManifest(bytes: Uint8Array): Promise<string> {
    const m = parseManifest(bytes);
    this.requireBlobs(m);
    return (await this.blobs.put(bytes)).digest;
  }

  async manifest(digest: string): Promise<Manifest> {
    if (!this.blobs.has(digest)) throw notFound(`Image manifest ${digest} is not in the image store.`);
    return parseManifest(await this.blobs.bytes(digest));
  }

  async config(manifestDigest: string): Promise<ImageConfig> {
    return parseConfig(await this.blobs.bytes((await this.manifest(manifestDigest)).config.digest));
  }

  /** Point `fullname` at a stored manifest (models and created time come from its config). */
  async tag(fullname: string, manifestDigest: string): Promise<void> {
    const name = parseImageFullname(fullname).fullname;
    this.requireBlobs(await this.manifest(manifestDigest));
    const config = await this.config(manifestDigest);
    await this.repo.put({ fullname: name, digest: manifestDigest, models: modelsOf(config), createdUs: createdUsOf(config) ?? this.clock.nowUs() });
    await this.writeIndex();
  }

  /** Remove a tag (its blobs stay until gc); true when it existed. */
  async untag(fullname: string): Promise<boolean> {
    const gone = await this.repo.remove(parseImageFullname(fullname).fullname);
    await this.writeIndex();
    return gone;
  }

  /** The manifest digest of a tag, if tagged. */
  async resolve(fullname: string): Promise<string | undefined> {
    return (await this.repo.get(parseImageFullname(fullname).fullname))?.digest ?? undefined;
  }

  /** Every tagged image (rows without a digest are not images of the store). */
  async list(): Promise<TaggedImage[]> {
    return (await this.repo.all()).flatMap((r) => (r.digest !== null && isDigest(r.digest) ? [{ ...r, digest: r.digest }] : []));
  }

  /** The unpacked root filesystem of a manifest: unpacked once, concurrent callers share the unpack. */
  async rootfs(manifestDigest: string): Promise<string> {
    const dest = join(this.rootfsDir, digestHex(manifestDigest));
    if (existsSync(dest)) return dest;
    let p = this.unpacking.get(manifestDigest);
    if (p === undefined) {
      p = this.hold(async () => {
        const m = await this.manifest(manifestDigest);
        const name = (await this.list()).find((i) => i.digest === manifestDigest)?.fullname ?? manifestDigest;
        await unpackImage({ blobs: this.blobs, layers: m.layers, dest, imageName: name, tmpRoot: this.tmp, log: this.log });
        return dest;
      }).finally(() => this.unpacking.delete(manifestDigest));
      this.unpacking.set(manifestDigest, p);
    }
    return p;
  }

  /** Copy the images of an OCI layout dir into the store (verified); tagging is the caller's. */
  async importLayout(dir: string, refName?: string): Promise<ImportedImage[]> {
    return this.hold(() => importLayout(this, dir, refName));
  }

  /** Remove blobs and rootfs dirs that no tag references. Does nothing while `hold` is in use. */
  async gc(): Promise<GcResult> {
    if (this.holds > 0) {
      this.log.debug("image store gc postponed: an import or unpack is running");
      return { blobs: 0, rootfs: 0 };
    }
    const tagged = new Set((await this.list()).map((i) => i.digest));
    const mayDelete = (): boolean => this.holds === 0;
    return collectGarbage({ blobs: this.blobs, rootfsDir: this.rootfsDir, tagged, manifest: (d) => this.manifest(d), mayDelete, log: this.log });
  }

  /** Bytes of stored blobs; a layer shared by several images counts once. */
  diskUsage(): number {
    return this.blobs.totalBytes();
  }

  private requireBlobs(m: Manifest): void {
    for (const b of [m.config, ...m.layers]) {
      if (!this.blobs.has(b.digest)) throw new WaltError("PRECONDITION", `Blob ${b.digest} of the image manifest is not in the image store.`);
    }
  }

  /** Rewrite index.json from the tags; writes are serialised so the last one reflects the last change. */
  private writeIndex(): Promise<void> {
    const write = async (): Promise<void> => {
      const entries: LayoutEntry[] = [];
      for (const i of await this.list()) {
        if (!this.blobs.has(i.digest)) continue;
        const mediaType = (await this.manifest(i.digest)).mediaType ?? MediaType.ociManifest;
        entries.push({ fullname: i.fullname, digest: i.digest, size: this.blobs.size(i.digest), mediaType });
      }
      await writeLayout(this.blobs.root, entries, this.tmp);
    };
    this.indexWrite = this.indexWrite.then(write, write);
    return this.indexWrite;
  }
}

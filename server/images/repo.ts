/**
 * The images table: the source of truth for tags (`user/name:tag` → manifest digest, models, created).
 * The OCI image store (store/store.ts) writes it through `put`/`remove` and derives index.json from it;
 * cloning a default image into a working set copies its digest and models.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/db.ts";
import type { ImageRow } from "../db/schema.ts";

export class ImageRepo {
  constructor(private readonly db: Db) {}

  async all(): Promise<ImageRow[]> {
    return this.db.orm.select().from(this.db.t.images);
  }

  async get(fullname: string): Promise<ImageRow | undefined> {
    const t = this.db.t.images;
    return (await this.db.orm.select().from(t).where(eq(t.fullname, fullname)))[0];
  }

  async put(row: ImageRow): Promise<void> {
    const t = this.db.t.images;
    await this.db.orm
      .insert(t)
      .values(row)
      .onConflictDoUpdate({ target: t.fullname, set: { digest: row.digest, models: row.models, createdUs: row.createdUs } });
  }

  /** Delete a row; true when it existed. */
  async remove(fullname: string): Promise<boolean> {
    const t = this.db.t.images;
    const gone = await this.db.orm.delete(t).where(eq(t.fullname, fullname)).returning({ fullname: t.fullname });
    return gone.length > 0;
  }

  /** Tag `source` as `target` (same digest and models); an unknown source gives an empty record. */
  async cloneTag(source: string, target: string, nowUs: number): Promise<void> {
    const src = await this.get(source);
    await this.put({ fullname: target, digest: src?.digest ?? null, models: src?.models ?? [], createdUs: src?.createdUs ?? nowUs });
  }
}

/** Per-user checkpoints (WALT §1.8): named points in time used as history bounds. */
import { and, asc, eq } from "drizzle-orm";
import { conflict, notFound, usageError } from "../../src/errors.ts";
import { validateCheckpointName } from "../../src/domain/names.ts";
import type { ServerContext } from "../context.ts";

export async function addCheckpoint(ctx: ServerContext, user: string, name: string, tsUs: number | null): Promise<{ name: string; tsUs: number }> {
  const invalid = validateCheckpointName(name);
  if (invalid) throw usageError(invalid);
  const t = ctx.db.t.checkpoints;
  const exists = await ctx.db.orm.select({ id: t.id }).from(t).where(and(eq(t.username, user), eq(t.name, name)));
  if (exists.length) throw conflict("Failed: a checkpoint with this name already exists.");
  const ts = tsUs ?? ctx.clock.nowUs();
  await ctx.db.orm.insert(t).values({ username: user, name, tsUs: ts });
  return { name, tsUs: ts };
}

export async function removeCheckpoint(ctx: ServerContext, user: string, name: string): Promise<void> {
  const t = ctx.db.t.checkpoints;
  const found = await ctx.db.orm.select({ id: t.id }).from(t).where(and(eq(t.username, user), eq(t.name, name)));
  if (!found.length) throw notFound(`Failed: no checkpoint with this name '${name}'.`);
  await ctx.db.orm.delete(t).where(and(eq(t.username, user), eq(t.name, name)));
}

export async function listCheckpoints(ctx: ServerContext, user: string): Promise<{ name: string; tsUs: number }[]> {
  const t = ctx.db.t.checkpoints;
  const rows = await ctx.db.orm.select({ name: t.name, tsUs: t.tsUs }).from(t).where(eq(t.username, user)).orderBy(asc(t.tsUs));
  return rows.map((r) => ({ name: r.name, tsUs: Number(r.tsUs) }));
}

export async function checkpointTime(ctx: ServerContext, user: string, name: string): Promise<number | null> {
  const t = ctx.db.t.checkpoints;
  const rows = await ctx.db.orm.select({ tsUs: t.tsUs }).from(t).where(and(eq(t.username, user), eq(t.name, name)));
  return rows[0] ? Number(rows[0].tsUs) : null;
}

/**
 * Embedded migrations, applied at start before any service listens (model-codebases §4.4, §6.3).
 * The SQL files are imported as text so they live inside the compiled binary.
 */
import type { Db } from "./db.ts";
import sqlite0001 from "./migrations/sqlite/0001_init.sql" with { type: "text" };
import pg0001 from "./migrations/pg/0001_init.sql" with { type: "text" };

interface Migration {
  id: string;
  sqlite: string;
  pg: string;
}

/** Ordered list; never edit a released migration, add a new one. */
export const MIGRATIONS: readonly Migration[] = [{ id: "0001_init", sqlite: sqlite0001, pg: pg0001 }];

const BREAK = /^--> statement-breakpoint$/m;

/** Apply every migration not yet recorded in `walt_migrations`, each in its own transaction. */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  if (db.sqlite) {
    const raw = db.sqlite;
    raw.exec("CREATE TABLE IF NOT EXISTS walt_migrations (id TEXT PRIMARY KEY NOT NULL, applied_us INTEGER NOT NULL)");
    const done = new Set(raw.query<{ id: string }, []>("SELECT id FROM walt_migrations").all().map((r) => r.id));
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      raw.transaction(() => {
        for (const stmt of m.sqlite.split(BREAK)) if (stmt.trim()) raw.exec(stmt);
        raw.query("INSERT INTO walt_migrations (id, applied_us) VALUES (?, ?)").run(m.id, Date.now() * 1000);
      })();
      applied.push(m.id);
    }
    return applied;
  }
  const pg = db.pg;
  if (!pg) throw new Error("database handle missing");
  await pg.unsafe("CREATE TABLE IF NOT EXISTS walt_migrations (id TEXT PRIMARY KEY NOT NULL, applied_us BIGINT NOT NULL)");
  const rows = (await pg.unsafe("SELECT id FROM walt_migrations")) as { id: string }[];
  const done = new Set(rows.map((r) => r.id));
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    await pg.begin(async (tx) => {
      for (const stmt of m.pg.split(BREAK)) if (stmt.trim()) await tx.unsafe(stmt);
      await tx.unsafe("INSERT INTO walt_migrations (id, applied_us) VALUES ($1, $2)", [m.id, Date.now() * 1000]);
    });
    applied.push(m.id);
  }
  return applied;
}

/**
 * Opening the platform database: embedded SQLite by default, PostgreSQL when a URL is configured.
 *
 * Repositories are written once against `Db`: `orm` is typed with the SQLite flavour, and `t` holds the
 * table objects of the dialect actually open, so each dialect's column mappers run. Repositories only use
 * the dialect-neutral part of drizzle (awaited select/insert/update/delete, `sql`, operators).
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { drizzle as drizzleSqlite, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { drizzle as drizzlePg } from "drizzle-orm/bun-sql";
import { WaltError } from "../../src/errors.ts";
import { sqliteTables, type Tables } from "./schema.ts";
import { pgTables } from "./schema-pg.ts";
import { migrate } from "./migrate.ts";

export type Orm = BunSQLiteDatabase;

/** An open database, handed to every repository. */
export interface Db {
  readonly dialect: "sqlite" | "pg";
  readonly orm: Orm;
  readonly t: Tables;
  /** The raw SQLite handle (hot paths such as log ingestion); undefined on PostgreSQL. */
  readonly sqlite: Database | undefined;
  /** The raw PostgreSQL client; undefined on SQLite. */
  readonly pg: SQL | undefined;
  /**
   * Bumped by every write to devices and nodes, so read-mostly replies (the web API's node list) can be
   * cached until the platform changes.
   */
  readonly changes: ChangeCounter;
  /** Run `fn` in one transaction. On SQLite, transactions are serialized by a queue. */
  tx<T>(fn: (orm: Orm) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A per-database write generation (see Db.changes). */
export class ChangeCounter {
  generation = 0;
  bump(): void {
    this.generation++;
  }
}

export type DbTarget = { kind: "sqlite"; path: string } | { kind: "pg"; url: string };

/** Open the database and apply pending migrations. Errors are WaltErrors with a clear message. */
export async function openDb(target: DbTarget): Promise<Db> {
  const db = target.kind === "sqlite" ? openSqlite(target.path) : await openPg(target.url);
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw describeOpenError(e, target);
  }
  return db;
}

function openSqlite(path: string): Db {
  let raw: Database;
  try {
    raw = new Database(path, { create: true, strict: true });
    // WAL keeps readers (web API, CLI queries) off the writer's back; busy_timeout absorbs short lock waits.
    raw.exec("PRAGMA busy_timeout = 2000");
    raw.exec("PRAGMA journal_mode = WAL");
    raw.exec("PRAGMA synchronous = NORMAL");
    raw.exec("PRAGMA foreign_keys = ON");
  } catch (e) {
    throw describeOpenError(e, { kind: "sqlite", path });
  }
  const orm = drizzleSqlite({ client: raw });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    dialect: "sqlite",
    orm,
    changes: new ChangeCounter(),
    t: sqliteTables,
    sqlite: raw,
    pg: undefined,
    tx<T>(fn: (orm: Orm) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        raw.exec("BEGIN IMMEDIATE");
        try {
          const r = await fn(orm);
          raw.exec("COMMIT");
          return r;
        } catch (e) {
          raw.exec("ROLLBACK");
          throw e;
        }
      };
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      return p;
    },
    close: async () => raw.close(),
  };
}

async function openPg(url: string): Promise<Db> {
  const client = new SQL(url, { max: 8 });
  try {
    await client`SELECT 1`;
  } catch (e) {
    await client.close();
    throw new WaltError("UNAVAILABLE", `Cannot connect to the PostgreSQL database at ${redact(url)}: ${msg(e)}`, {
      hint: "check `database.url` in the server config, and that PostgreSQL is running",
      cause: e,
    });
  }
  const pgOrm = drizzlePg({ client });
  // Same query-builder surface at run time; typed as the SQLite flavour (see the header comment).
  const orm = pgOrm as unknown as Orm;
  return {
    dialect: "pg",
    orm,
    changes: new ChangeCounter(),
    t: pgTables as unknown as Tables,
    sqlite: undefined,
    pg: client,
    tx: <T>(fn: (orm: Orm) => Promise<T>): Promise<T> =>
      pgOrm.transaction(async (tx) => fn(tx as unknown as Orm)) as Promise<T>,
    close: async () => client.close(),
  };
}

function describeOpenError(e: unknown, target: DbTarget): WaltError {
  if (e instanceof WaltError) return e;
  const m = msg(e);
  const where = target.kind === "sqlite" ? target.path : redact(target.url);
  if (/not a database|malformed|corrupt/i.test(m)) {
    return new WaltError("UNAVAILABLE", `The database ${where} is corrupt or is not a WALT database (${m}).`, {
      hint: "restore it from a backup, or move it away to start with an empty platform",
      cause: e,
    });
  }
  if (/locked|busy/i.test(m)) {
    return new WaltError("UNAVAILABLE", `The database ${where} is locked by another process (${m}).`, {
      hint: "stop the other process using it (another walt server?)",
      cause: e,
    });
  }
  if (/unable to open|readonly|permission/i.test(m)) {
    return new WaltError("UNAVAILABLE", `Cannot open the database ${where}: ${m}.`, {
      hint: "check that the data directory exists and is writable",
      cause: e,
    });
  }
  return new WaltError("UNAVAILABLE", `Cannot open the database ${where}: ${m}`, { cause: e });
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

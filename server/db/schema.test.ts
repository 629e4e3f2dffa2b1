import { describe, expect, test } from "bun:test";
import { getTableColumns, getTableName } from "drizzle-orm";
import { sqliteTables } from "./schema.ts";
import { pgTables } from "./schema-pg.ts";

// The two dialects declare the same tables by hand (drizzle has one table builder per dialect):
// this keeps them from drifting apart.
describe("database schema", () => {
  test("SQLite and PostgreSQL declare the same tables", () => {
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
  });

  for (const key of Object.keys(sqliteTables) as (keyof typeof sqliteTables)[]) {
    test(`table ${key} has the same name, columns and nullability in both dialects`, () => {
      const s = sqliteTables[key];
      const p = pgTables[key];
      expect(getTableName(p)).toBe(getTableName(s));
      const shape = (cols: Record<string, { name: string; notNull: boolean; primary: boolean }>) =>
        Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, { name: c.name, notNull: c.notNull, primary: c.primary }]));
      expect(shape(getTableColumns(p))).toEqual(shape(getTableColumns(s)));
    });
  }
});

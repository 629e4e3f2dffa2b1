/**
 * The platform database schema (SQLite flavour: the default, embedded database).
 * server/db/schema-pg.ts declares the same tables for PostgreSQL; schema.test.ts checks both stay identical
 * in column names and TypeScript row types. Repositories receive the table objects through `Db.t`
 * so the right dialect's column mappers are used; their types come from this file.
 *
 * Times are integer microseconds since the epoch (WALT prints `%f`, so milliseconds are not enough).
 */
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Settings stored per device (`walt device config`), values already converted (ints, bools, null). */
export type DeviceConf = Record<string, string | number | boolean | null>;

export const devices = sqliteTable(
  "devices",
  {
    mac: text("mac").primaryKey(),
    ip: text("ip"),
    name: text("name").notNull(),
    type: text("type", { enum: ["server", "switch", "node", "unknown"] }).notNull(),
    model: text("model"),
    virtual: integer("virtual", { mode: "boolean" }).notNull().default(false),
    conf: text("conf", { mode: "json" }).$type<DeviceConf>().notNull().default({}),
    createdUs: integer("created_us").notNull(),
  },
  (t) => [uniqueIndex("devices_name").on(t.name), index("devices_ip").on(t.ip)],
);

export const nodes = sqliteTable("nodes", {
  mac: text("mac")
    .primaryKey()
    .references(() => devices.mac, { onDelete: "cascade" }),
  image: text("image").notNull(),
  bootState: text("boot_state", { enum: ["unknown", "booting", "booted", "down"] })
    .notNull()
    .default("unknown"),
  bootStateUs: integer("boot_state_us").notNull().default(0),
});

export const images = sqliteTable("images", {
  fullname: text("fullname").primaryKey(),
  digest: text("digest"),
  models: text("models", { mode: "json" }).$type<string[]>().notNull().default([]),
  createdUs: integer("created_us").notNull(),
});

export const users = sqliteTable("users", {
  name: text("name").primaryKey(),
  tokenHash: text("token_hash").notNull(),
  createdUs: integer("created_us").notNull(),
});

export const logstreams = sqliteTable(
  "logstreams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    issuerMac: text("issuer_mac")
      .notNull()
      .references(() => devices.mac, { onDelete: "cascade" }),
    name: text("name").notNull(),
    mode: text("mode", { enum: ["line", "chunk"] })
      .notNull()
      .default("line"),
  },
  (t) => [uniqueIndex("logstreams_issuer_name").on(t.issuerMac, t.name)],
);

export const logs = sqliteTable(
  "logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    streamId: integer("stream_id")
      .notNull()
      .references(() => logstreams.id, { onDelete: "cascade" }),
    tsUs: integer("ts_us").notNull(),
    line: text("line").notNull(),
  },
  (t) => [index("logs_ts").on(t.tsUs), index("logs_stream_ts").on(t.streamId, t.tsUs)],
);

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    username: text("username").notNull(),
    name: text("name").notNull(),
    tsUs: integer("ts_us").notNull(),
  },
  (t) => [uniqueIndex("checkpoints_user_name").on(t.username, t.name)],
);

/** All tables, as handed to repositories. */
export const sqliteTables = { devices, nodes, images, users, logstreams, logs, checkpoints };
export type Tables = typeof sqliteTables;

export type DeviceRow = typeof devices.$inferSelect;
export type NodeRow = typeof nodes.$inferSelect;
export type ImageRow = typeof images.$inferSelect;
export type CheckpointRow = typeof checkpoints.$inferSelect;
export type DeviceType = DeviceRow["type"];

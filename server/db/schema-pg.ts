/**
 * The same tables as schema.ts, for PostgreSQL (large platforms). Keep both files in step:
 * schema.test.ts compares their columns and inferred row types.
 */
import { pgTable, text, bigint, boolean, jsonb, serial, integer, index, uniqueIndex } from "drizzle-orm/pg-core";
import type { DeviceConf } from "./schema.ts";

const us = (name: string) => bigint(name, { mode: "number" });

export const devices = pgTable(
  "devices",
  {
    mac: text("mac").primaryKey(),
    ip: text("ip"),
    name: text("name").notNull(),
    type: text("type", { enum: ["server", "switch", "node", "unknown"] }).notNull(),
    model: text("model"),
    virtual: boolean("virtual").notNull().default(false),
    conf: jsonb("conf").$type<DeviceConf>().notNull().default({}),
    createdUs: us("created_us").notNull(),
  },
  (t) => [uniqueIndex("devices_name").on(t.name), index("devices_ip").on(t.ip)],
);

export const nodes = pgTable("nodes", {
  mac: text("mac")
    .primaryKey()
    .references(() => devices.mac, { onDelete: "cascade" }),
  image: text("image").notNull(),
  bootState: text("boot_state", { enum: ["unknown", "booting", "booted", "down"] })
    .notNull()
    .default("unknown"),
  bootStateUs: us("boot_state_us").notNull().default(0),
});

export const images = pgTable("images", {
  fullname: text("fullname").primaryKey(),
  digest: text("digest"),
  models: jsonb("models").$type<string[]>().notNull().default([]),
  createdUs: us("created_us").notNull(),
});

export const users = pgTable("users", {
  name: text("name").primaryKey(),
  tokenHash: text("token_hash").notNull(),
  createdUs: us("created_us").notNull(),
});

export const logstreams = pgTable(
  "logstreams",
  {
    id: serial("id").primaryKey(),
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

export const logs = pgTable(
  "logs",
  {
    id: serial("id").primaryKey(),
    streamId: integer("stream_id")
      .notNull()
      .references(() => logstreams.id, { onDelete: "cascade" }),
    tsUs: us("ts_us").notNull(),
    line: text("line").notNull(),
  },
  (t) => [index("logs_ts").on(t.tsUs), index("logs_stream_ts").on(t.streamId, t.tsUs)],
);

export const checkpoints = pgTable(
  "checkpoints",
  {
    id: serial("id").primaryKey(),
    username: text("username").notNull(),
    name: text("name").notNull(),
    tsUs: us("ts_us").notNull(),
  },
  (t) => [uniqueIndex("checkpoints_user_name").on(t.username, t.name)],
);

export const pgTables = { devices, nodes, images, users, logstreams, logs, checkpoints };

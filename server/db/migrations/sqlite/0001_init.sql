-- Initial platform schema (SQLite). Statements are separated by lines holding only "--> statement-breakpoint".
CREATE TABLE devices (
  mac TEXT PRIMARY KEY NOT NULL,
  ip TEXT,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  model TEXT,
  virtual INTEGER NOT NULL DEFAULT 0,
  conf TEXT NOT NULL DEFAULT '{}',
  created_us INTEGER NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX devices_name ON devices (name);
--> statement-breakpoint
CREATE INDEX devices_ip ON devices (ip);
--> statement-breakpoint
CREATE TABLE nodes (
  mac TEXT PRIMARY KEY NOT NULL REFERENCES devices(mac) ON DELETE CASCADE,
  image TEXT NOT NULL,
  boot_state TEXT NOT NULL DEFAULT 'unknown',
  boot_state_us INTEGER NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE TABLE images (
  fullname TEXT PRIMARY KEY NOT NULL,
  digest TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  created_us INTEGER NOT NULL
);
--> statement-breakpoint
CREATE TABLE users (
  name TEXT PRIMARY KEY NOT NULL,
  token_hash TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
--> statement-breakpoint
CREATE TABLE logstreams (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  issuer_mac TEXT NOT NULL REFERENCES devices(mac) ON DELETE CASCADE,
  name TEXT NOT NULL,
  mode TEXT NOT NULL DEFAULT 'line'
);
--> statement-breakpoint
CREATE UNIQUE INDEX logstreams_issuer_name ON logstreams (issuer_mac, name);
--> statement-breakpoint
CREATE TABLE logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  stream_id INTEGER NOT NULL REFERENCES logstreams(id) ON DELETE CASCADE,
  ts_us INTEGER NOT NULL,
  line TEXT NOT NULL
);
--> statement-breakpoint
CREATE INDEX logs_ts ON logs (ts_us);
--> statement-breakpoint
CREATE INDEX logs_stream_ts ON logs (stream_id, ts_us);
--> statement-breakpoint
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  ts_us INTEGER NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX checkpoints_user_name ON checkpoints (username, name);

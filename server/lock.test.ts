import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockDataDir } from "./lock.ts";
import { tempDir } from "../test/helpers/tmp.ts";

describe("data directory lock", () => {
  test("a live holder refuses a second lock; release frees it", () => {
    using d = tempDir();
    writeFileSync(join(d.path, "server.pid"), `${process.ppid}\n`);
    expect(() => lockDataDir(d.path)).toThrow(`Another walt server (pid ${process.ppid}) is already using the data directory`);
  });

  test("a stale pid file is taken over", () => {
    using d = tempDir();
    writeFileSync(join(d.path, "server.pid"), "999999\n");
    const l = lockDataDir(d.path);
    l.release();
    const again = lockDataDir(d.path);
    again.release();
  });
});

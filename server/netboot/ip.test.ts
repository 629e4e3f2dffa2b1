import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { namedNetns } from "./ip.ts";

describe("network namespace detection", () => {
  test("no named namespace holds this process when none of the bound files is its namespace", () => {
    using t = tempDir();
    writeFileSync(join(t.path, "other"), "");
    expect(namedNetns(t.path)).toBeUndefined();
    expect(namedNetns(join(t.path, "missing"))).toBeUndefined();
  });
});

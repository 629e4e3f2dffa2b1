import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { HeldRoots } from "./held-roots.ts";

const OLD = { path: "/d/served/aaa/merged", digest: "sha256:aaa", persist: "/d/persist_dirs/alice" };

describe("held root exports", () => {
  test("a node switched twice keeps the first hold; release and retain let go", () => {
    const h = new HeldRoots();
    h.hold("m1", OLD);
    h.hold("m1", { path: "/d/served/bbb/merged", digest: "sha256:bbb" });
    h.hold("m2", { path: "/d/served/ccc/merged", digest: "sha256:ccc" });
    expect(h.get("m1")).toEqual(OLD);
    expect(h.release("m1")).toBe(true);
    expect(h.release("m1")).toBe(false);
    h.retain(new Set(["m9"]));
    expect(h.digests()).toEqual([]);
  });

  test("kept in a file: a restarted server holds the same exports, and what was released stays released", () => {
    using t = tempDir();
    const file = join(t.path, "held-roots.json");
    const first = new HeldRoots(file);
    first.hold("m1", OLD);
    first.hold("m2", { path: "/d/served/ccc/merged", digest: "sha256:ccc" });
    first.release("m2");
    const again = new HeldRoots(file);
    expect(again.entries()).toEqual([["m1", OLD]]);
    again.retain(new Set());
    expect(new HeldRoots(file).entries()).toEqual([]);
  });

  test("a damaged file or malformed entries hold nothing (exports then follow the images)", () => {
    using t = tempDir();
    const file = join(t.path, "held-roots.json");
    writeFileSync(file, "{not json");
    expect(new HeldRoots(file).entries()).toEqual([]);
    writeFileSync(file, JSON.stringify({ m1: { path: 3, digest: "x" }, m2: OLD, m3: null }));
    const h = new HeldRoots(file);
    expect(h.entries()).toEqual([["m2", OLD]]);
    h.release("m2");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({});
  });
});

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { RootResolver, entryParts } from "./unpack-paths.ts";

const fail = (reason: string): never => {
  throw new Error(reason);
};

describe("entry names", () => {
  test("names are normalised to components inside the root", () => {
    expect(entryParts("./usr//bin/", fail)).toEqual(["usr", "bin"]);
    expect(entryParts("./", fail)).toEqual([]);
    expect(entryParts("a/b/../c", fail)).toEqual(["a", "c"]);
  });

  test("absolute names and names climbing above the root are refused", () => {
    expect(() => entryParts("/etc/passwd", fail)).toThrow("it is an absolute path");
    expect(() => entryParts("../x", fail)).toThrow("its path leaves the image root");
    expect(() => entryParts("a/../../x", fail)).toThrow("its path leaves the image root");
  });
});

describe("RootResolver", () => {
  test("missing parents are created only when asked", () => {
    using d = tempDir();
    const r = new RootResolver(d.path);
    expect(r.dir(["a", "b"], false, fail)).toBeUndefined();
    expect(r.dir(["a", "b"], true, fail)).toBe(join(d.path, "a/b"));
    expect(existsSync(join(d.path, "a/b"))).toBe(true);
    expect(r.rel(join(d.path, "a/b"))).toBe("a/b");
    expect(r.rel(d.path)).toBe("");
  });

  test("symlinks are followed inside the root; absolute targets are taken relative to the root", () => {
    using d = tempDir();
    mkdirSync(join(d.path, "usr/lib"), { recursive: true });
    mkdirSync(join(d.path, "run"));
    mkdirSync(join(d.path, "var"));
    symlinkSync("usr/lib", join(d.path, "lib"));
    symlinkSync("/run", join(d.path, "var/run"));
    symlinkSync("../lib/../../usr", join(d.path, "usr/up"));
    const r = new RootResolver(d.path);
    expect(r.dir(["lib"], false, fail)).toBe(join(d.path, "usr/lib"));
    expect(r.dir(["var", "run"], false, fail)).toBe(join(d.path, "run"));
    expect(r.dir(["usr", "up", "lib"], false, fail)).toBe(join(d.path, "usr/lib"));
  });

  test("a symlink climbing out of the root, a loop, or a file parent is refused", () => {
    using d = tempDir();
    symlinkSync("../..", join(d.path, "esc"));
    symlinkSync("loop2", join(d.path, "loop1"));
    symlinkSync("loop1", join(d.path, "loop2"));
    writeFileSync(join(d.path, "file"), "");
    const r = new RootResolver(d.path);
    expect(() => r.dir(["esc", "x"], true, fail)).toThrow("its parent 'esc' is a symbolic link pointing out of the image root");
    expect(() => r.dir(["loop1"], true, fail)).toThrow(/too many levels of symbolic links/);
    expect(() => r.dir(["file", "x"], true, fail)).toThrow("its parent 'file' is not a directory");
  });

  test("cached resolutions are dropped on invalidate", () => {
    using d = tempDir();
    mkdirSync(join(d.path, "a"));
    mkdirSync(join(d.path, "b"));
    const r = new RootResolver(d.path);
    expect(r.dir(["x"], true, fail)).toBe(join(d.path, "x"));
    rmSync(join(d.path, "x"), { recursive: true });
    symlinkSync("b", join(d.path, "x"));
    expect(r.dir(["x"], true, fail)).toBe(join(d.path, "x"));
    r.invalidate();
    expect(r.dir(["x"], true, fail)).toBe(join(d.path, "b"));
  });
});

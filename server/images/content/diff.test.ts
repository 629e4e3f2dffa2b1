import { describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { diffTrees } from "./diff.ts";

/** Every path of a tree, sorted, directories with a trailing slash. */
function listing(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel === "" ? name : `${rel}/${name}`;
    if (lstatSync(join(root, r)).isDirectory()) out.push(`${r}/`, ...listing(root, r));
    else out.push(r);
  }
  return out;
}

/** An original tree and a full copy of it (`cp -a`, as for image shells). */
function trees(dir: string): { orig: string; work: string; out: string } {
  const orig = join(dir, "orig");
  mkdirSync(join(orig, "etc/sub"), { recursive: true });
  mkdirSync(join(orig, "var/cache"), { recursive: true });
  writeFileSync(join(orig, "etc/keep"), "keep\n");
  writeFileSync(join(orig, "etc/change"), "before\n");
  writeFileSync(join(orig, "etc/sub/gone"), "gone\n");
  writeFileSync(join(orig, "var/cache/a"), "a\n");
  symlinkSync("keep", join(orig, "etc/link"));
  const work = join(dir, "work");
  Bun.spawnSync(["cp", "-a", orig, work]);
  const out = join(dir, "out");
  mkdirSync(out);
  return { orig, work, out };
}

describe("diffTrees", () => {
  test("an untouched copy has no changes", () => {
    using tmp = tempDir();
    const t = trees(tmp.path);
    expect(diffTrees(t.orig, t.work, t.out)).toEqual({ changes: 0 });
    expect(listing(t.out)).toEqual([]);
  });

  test("added, modified and deleted entries give the changed files, whiteouts and their parents only", () => {
    using tmp = tempDir();
    const t = trees(tmp.path);
    writeFileSync(join(t.work, "etc/change"), "after!\n");
    writeFileSync(join(t.work, "etc/new"), "new\n");
    rmSync(join(t.work, "etc/sub/gone"));
    rmSync(join(t.work, "var/cache"), { recursive: true });
    mkdirSync(join(t.work, "opt/x"), { recursive: true });
    writeFileSync(join(t.work, "opt/x/y"), "y\n");
    rmSync(join(t.work, "etc/link"));
    symlinkSync("change", join(t.work, "etc/link"));
    expect(diffTrees(t.orig, t.work, t.out).changes).toBe(6);
    expect(listing(t.out)).toEqual(["etc/", "etc/change", "etc/link", "etc/new", "etc/sub/", "etc/sub/.wh.gone", "opt/", "opt/x/", "opt/x/y", "var/", "var/.wh.cache"]);
    expect(readFileSync(join(t.out, "etc/change"), "utf8")).toBe("after!\n");
    // Changed files are hard links to the working copy: nothing is copied.
    expect(lstatSync(join(t.out, "etc/new")).ino).toBe(lstatSync(join(t.work, "etc/new")).ino);
  });

  test("a mode change or a type change is a change, a same-size rewrite is found by its mtime", () => {
    using tmp = tempDir();
    const t = trees(tmp.path);
    chmodSync(join(t.work, "etc/keep"), 0o600);
    chmodSync(join(t.work, "var"), 0o700);
    rmSync(join(t.work, "etc/sub"), { recursive: true });
    writeFileSync(join(t.work, "etc/sub"), "now a file\n");
    writeFileSync(join(t.work, "var/cache/a"), "b\n");
    utimesSync(join(t.work, "var/cache/a"), new Date(0), new Date(1000));
    diffTrees(t.orig, t.work, t.out);
    expect(listing(t.out)).toEqual(["etc/", "etc/keep", "etc/sub", "var/", "var/cache/", "var/cache/a"]);
    // Directories carry the working copy's metadata.
    expect(lstatSync(join(t.out, "var")).mode & 0o777).toBe(0o700);
  });
});

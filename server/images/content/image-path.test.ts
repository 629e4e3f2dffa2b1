import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { absoluteImagePath, imagePathType, resolveInImage } from "./image-path.ts";

function image(dir: string): string {
  const root = join(dir, "root");
  mkdirSync(join(root, "usr/lib"), { recursive: true });
  mkdirSync(join(root, "root"), { recursive: true });
  writeFileSync(join(root, "usr/lib/libc.so"), "");
  symlinkSync("usr/lib", join(root, "lib"));
  symlinkSync("/etc/passwd", join(root, "abs"));
  symlinkSync("../../../../..", join(root, "up"));
  symlinkSync("loop", join(root, "loop"));
  return root;
}

describe("paths inside an image", () => {
  test("relative paths are under /root, like in WALT's image containers", () => {
    expect(absoluteImagePath("x/y")).toBe("/root/x/y");
    expect(absoluteImagePath("./x")).toBe("/root/x");
    expect(absoluteImagePath(".")).toBe("/root");
    expect(absoluteImagePath("/etc")).toBe("/etc");
  });

  test("symlinks are followed inside the root, never out of it", () => {
    using tmp = tempDir();
    const root = image(tmp.path);
    expect(resolveInImage(root, "/lib/libc.so")).toBe(join(root, "usr/lib/libc.so"));
    // /etc/passwd of the image, which does not exist: not the server's.
    expect(resolveInImage(root, "/abs")).toBeUndefined();
    expect(resolveInImage(root, "/abs", false)).toBe(join(root, "abs"));
    expect(resolveInImage(root, "/up/usr")).toBe(join(root, "usr"));
    expect(resolveInImage(root, "/../../usr")).toBe(join(root, "usr"));
    expect(resolveInImage(root, "/loop")).toBeUndefined();
  });

  test("WALT's file types follow symlinks", () => {
    using tmp = tempDir();
    const root = image(tmp.path);
    expect(imagePathType(root, "/lib")).toBe("d");
    expect(imagePathType(root, "/lib/libc.so")).toBe("f");
    expect(imagePathType(root, "/lib/libc.so/x")).toBeNull();
    expect(imagePathType(root, "/abs")).toBeNull();
    expect(imagePathType(root, ".")).toBe("d");
  });
});

/** WALT's `walt image cp` operand rules (src/domain/image-cp.ts, ported from transfer.py). */
import { describe, expect, test } from "bun:test";
import { analyseCp, parseCpOperands, posixDirname } from "../../../src/domain/image-cp.ts";

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
};

describe("walt image cp operands", () => {
  test("the image operand is split at its last colon (an image may have a tag)", () => {
    expect(parseCpOperands("f", "img:v2:/etc/")).toEqual({ src: { kind: "local", path: "f" }, dst: { kind: "image", image: "img:v2", path: "/etc" }, clientIndex: 0 });
    expect(parseCpOperands("img:/", "out").src).toEqual({ kind: "image", image: "img", path: "/" });
    expect(message(() => parseCpOperands("a", "b"))).toStartWith("Usage:\n$ walt image cp");
    expect(message(() => parseCpOperands("a:x", "b:y"))).toStartWith("Usage:\n$ walt image cp");
  });

  test("a destination directory receives the source under its own name", () => {
    expect(analyseCp({ srcPath: "./dir/f", srcType: "f", dstPath: "/etc", dstType: "d", dstParentType: null })).toEqual({ srcPath: "./dir/f", dstDir: "/etc", dstName: "f" });
  });

  test("a missing destination in an existing directory is the new name", () => {
    expect(analyseCp({ srcPath: "./f", srcType: "f", dstPath: "/etc/g", dstType: null, dstParentType: "d" })).toEqual({ srcPath: "./f", dstDir: "/etc", dstName: "g" });
  });

  test("an existing file is overwritten, but not by a directory", () => {
    expect(analyseCp({ srcPath: "./f", srcType: "f", dstPath: "/etc/motd", dstType: "f", dstParentType: null })).toEqual({ srcPath: "./f", dstDir: "/etc", dstName: "motd" });
    expect(message(() => analyseCp({ srcPath: "./d", srcType: "d", dstPath: "/etc/motd", dstType: "f", dstParentType: null }))).toBe(
      "Invalid request. Overwriting regular file /etc/motd with directory ./d is not allowed.",
    );
  });

  test("`.` merges the directory content into the destination", () => {
    expect(analyseCp({ srcPath: "./.", srcType: "d", dstPath: "/opt/app", dstType: "d", dstParentType: null })).toEqual({ srcPath: "./.", dstDir: "/opt", dstName: "app" });
  });

  test("missing paths are reported as WALT does", () => {
    expect(message(() => analyseCp({ srcPath: "./nope", srcType: null, dstPath: "/etc", dstType: "d", dstParentType: null }))).toBe("No such file or directory: ./nope");
    expect(message(() => analyseCp({ srcPath: "./f", srcType: "f", dstPath: "/a/b", dstType: null, dstParentType: null }))).toBe("No such file or directory: /a/b");
  });

  test("dirname as Python's os.path.dirname", () => {
    expect(posixDirname("./f")).toBe(".");
    expect(posixDirname("/f")).toBe("/");
    expect(posixDirname("/a/b")).toBe("/a");
    expect(posixDirname("f")).toBe("");
  });
});

import { describe, expect, test } from "bun:test";
import { WaltError } from "../errors.ts";
import { defaultImageFullname, formatClonableLink, formatImageFullname, parseImageFullname, stripLatest } from "./image-name.ts";

describe("parseImageFullname", () => {
  test.each([
    ["eduble/rpi-default", { fullname: "eduble/rpi-default:latest", user: "eduble", name: "rpi-default" }],
    ["eduble/rpi-default:latest", { fullname: "eduble/rpi-default:latest", user: "eduble", name: "rpi-default" }],
    ["eduble/img:v2", { fullname: "eduble/img:v2", user: "eduble", name: "img:v2" }],
    ["waltplatform/pc-x86-64-default:latest", { fullname: "waltplatform/pc-x86-64-default:latest", user: "waltplatform", name: "pc-x86-64-default" }],
  ])("parses %p like WALT", (fullname, expected) => {
    expect(parseImageFullname(fullname)).toEqual(expected);
  });

  test.each(["noslash", "a/b/c", ""])("refuses %p, which has not exactly one slash", (fullname) => {
    expect(() => parseImageFullname(fullname)).toThrow(WaltError);
  });
});

describe("formatImageFullname", () => {
  test.each([
    ["u", "img", "u/img:latest"],
    ["u", "img:v2", "u/img:v2"],
    ["u", "img:a:b", "u/img:a:b"],
  ])("formats user %p and name %p as %p", (user, name, expected) => {
    expect(formatImageFullname(user, name)).toBe(expected);
  });
});

describe("helpers", () => {
  test("the default image of a model belongs to waltplatform", () => {
    expect(defaultImageFullname("rpi-3-b")).toBe("waltplatform/rpi-3-b-default:latest");
  });
  test.each([
    ["img:latest", "img"],
    ["img:v2", "img:v2"],
    ["img", "img"],
  ])("stripLatest(%p) is %p", (name, expected) => {
    expect(stripLatest(name)).toBe(expected);
  });
  test("clonable links omit :latest", () => {
    expect(formatClonableLink("walt", "bob/img:latest")).toBe("walt:bob/img");
    expect(formatClonableLink("hub", "bob/img:v1")).toBe("hub:bob/img:v1");
  });
});

import { describe, expect, test } from "bun:test";
import { WaltError } from "../../../src/errors.ts";
import { clonableFullname, fixImageName, formatClonableLink, invalidLinkMessage, ownImageLinkMessage, parseClonableLink } from "./clonable.ts";

const LABELS = ["hub"];
const MSG = "Invalid clonable image link. Format must be:\n[docker|walt|hub]:<user>/<image_name>[:<tag>]\n(tip: walt image search [<keyword>])";

describe("parseClonableLink", () => {
  test("every location form", () => {
    expect(parseClonableLink("hub:eduble/pc-x86-64-test-suite", LABELS)).toEqual({ location: "hub", user: "eduble", name: "pc-x86-64-test-suite", tag: "latest" });
    expect(parseClonableLink("docker:u/img:v2", LABELS)).toEqual({ location: "docker", user: "u", name: "img", tag: "v2" });
    expect(parseClonableLink("walt:other/img", LABELS)).toEqual({ location: "walt", user: "other", name: "img", tag: "latest" });
    expect(parseClonableLink("lab:u/img:1.0", ["hub", "lab"])).toEqual({ location: "lab", user: "u", name: "img", tag: "1.0" });
  });

  test("WALT's message, listing the configured labels", () => {
    expect(invalidLinkMessage(LABELS)).toBe(MSG);
    expect(invalidLinkMessage(["hub", "lab"])).toContain("[docker|walt|hub|lab]:");
  });

  test("malformed links are refused with WALT's message", () => {
    for (const bad of ["u/img", "lab:u/img", "hub:img", "hub:a/b/c", "hub:u/img:1:2", "hub:/img", "hub:u/", "hub:u/img:", ""]) {
      let err: unknown;
      try {
        parseClonableLink(bad, LABELS);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WaltError);
      expect((err as WaltError).message).toBe(MSG);
      expect((err as WaltError).code).toBe("BAD_REQUEST");
    }
  });
});

describe("link helpers", () => {
  test("fullname and display form", () => {
    expect(clonableFullname(parseClonableLink("hub:u/img", LABELS))).toBe("u/img:latest");
    expect(formatClonableLink("walt", "u", "img")).toBe("walt:u/img");
    expect(formatClonableLink("walt", "u", "img", "v1")).toBe("walt:u/img:v1");
  });
  test("own image message", () => {
    expect(ownImageLinkMessage("bob")).toBe(
      "Invalid clonable image link.\nImages of the form 'walt:bob/<image_name>' already belong to\nyour working set and thus are not clonable.",
    );
  });
  test("fixImageName", () => {
    expect(fixImageName("img:latest")).toEqual({ name: "img:latest" });
    expect(fixImageName("My_Image..X:v1")).toEqual({ name: "my-image-x:v1", notice: 'Image will be recorded as "my-image-x:v1" since original name is not valid in WALT.' });
  });
});

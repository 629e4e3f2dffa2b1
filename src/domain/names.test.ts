import { describe, expect, test } from "bun:test";
import { WaltError } from "../errors.ts";
import {
  assertValidCheckpointName,
  assertValidDeviceName,
  assertValidImageName,
  BAD_IMAGE_NAME,
  DEFAULT_IMAGE_RESERVED,
  deviceNameExistsMessage,
  INVALID_CHECKPOINT_NAME,
  isValidCheckpointName,
  NEW_NAME_ERROR_AND_GUIDELINES,
  validateCheckpointName,
  validateDeviceName,
  validateImageName,
} from "./names.ts";

describe("device names", () => {
  test.each(["vn1", "rpi-D327", "ab", "A-", "node-f26782"])("%p is a valid new name", (name) => {
    expect(validateDeviceName(name)).toBeUndefined();
  });
  test.each(["a", "", "1abc", "-ab", "ab_c", "ab.c", "ab c", "ab\n", "nœud"])("%p is refused with the guidelines", (name) => {
    expect(validateDeviceName(name)).toBe(NEW_NAME_ERROR_AND_GUIDELINES);
  });
  test("the guidelines are WALT's text", () => {
    expect(NEW_NAME_ERROR_AND_GUIDELINES).toBe(
      "Failed: invalid new name.\nThis name must be a valid network hostname.\nOnly alphanumeric characters and '-' are allowed.\nThe 1st character must be an alphabet letter.\nThe name must be at least 2-chars long.\n(Example: rpi-D327)",
    );
  });
  test("a taken name gets WALT's message", () => {
    expect(deviceNameExistsMessage("vn1")).toBe("Failed: a device with name 'vn1' already exists.");
  });
  test("the assertion throws a usage error", () => {
    expect(() => assertValidDeviceName("x")).toThrow(NEW_NAME_ERROR_AND_GUIDELINES);
    expect(() => assertValidDeviceName("xy")).not.toThrow();
  });
});

describe("checkpoint names", () => {
  test.each(["cp1", "1a", "a-", "my-checkpoint-2", "AB"])("%p is valid", (name) => {
    expect(isValidCheckpointName(name)).toBe(true);
    expect(validateCheckpointName(name)).toBeUndefined();
  });
  test.each(["a", "-ab", "a_b", "a b", "", "é1"])("%p is refused", (name) => {
    expect(validateCheckpointName(name)).toBe(INVALID_CHECKPOINT_NAME);
  });
  test("the message is WALT's text", () => {
    expect(INVALID_CHECKPOINT_NAME).toBe(
      "Invalid checkpoint name:\n* Only alnum and dash(-) characters are allowed.\n* dash(-) is not allowed as the 1st character.",
    );
  });
  test("the assertion throws a WaltError", () => {
    expect(() => assertValidCheckpointName("-x")).toThrow(WaltError);
  });
});

describe("image names", () => {
  test.each(["rpi-default", "img:v2", "a", "0-9", "name:", ":tag", "defaults", "default:latest"])("%p is valid", (name) => {
    expect(validateImageName(name)).toBeUndefined();
  });
  test.each(["Img", "a:b:c", "a_b", "a/b", ":", "", "é"])("%p is refused with the format message", (name) => {
    expect(validateImageName(name)).toBe(BAD_IMAGE_NAME);
  });
  test("'default' is reserved", () => {
    expect(validateImageName("default")).toBe("Sorry 'default' is a reserved keyword.");
    expect(DEFAULT_IMAGE_RESERVED).toBe("Sorry 'default' is a reserved keyword.");
  });
  test("the format message is WALT's text", () => {
    expect(BAD_IMAGE_NAME).toBe(
      "Bad name: expected format is <name> or <name>:<tag>.\nOnly lowercase letters, digits and dash(-) characters are allowed in <name> and <tag>.",
    );
    expect(() => assertValidImageName("A")).toThrow(BAD_IMAGE_NAME);
  });
});

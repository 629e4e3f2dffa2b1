import { describe, expect, test } from "bun:test";
import { completeHistoryRange, completeSet } from "./sets.ts";

describe("completeSet", () => {
  test("the last item of a set is completed, earlier items kept", () => {
    expect(completeSet(["vn1", "vn2", "my-nodes", "all-nodes"], "vn1,my-n")).toEqual(["vn1,my-nodes", "vn1,my-nodes,"]);
  });

  test("a single match is proposed both alone and followed by a comma", () => {
    expect(completeSet(["vn1", "rpi"], "rp")).toEqual(["rpi", "rpi,"]);
  });

  test("several matches are proposed as they are", () => {
    expect(completeSet(["vn1", "vn2", "rpi"], "vn")).toEqual(["vn1", "vn2"]);
  });

  test("duplicates (a device named like a keyword) are proposed once", () => {
    expect(completeSet(["server", "server", "sw1"], "")).toEqual(["server", "sw1"]);
  });
});

describe("completeHistoryRange", () => {
  test("a start bound proposes keywords, the relative form, an open start and checkpoints", () => {
    expect(completeHistoryRange(["cp1"], "")).toEqual(["full", "none", "-<relative-time>:", ":", "cp1:"]);
  });

  test("after the colon, end bounds are proposed", () => {
    expect(completeHistoryRange(["cp1", "cp2"], "cp1:")).toEqual(["cp1:-<relative-time>", "cp1:", "cp1:cp1", "cp1:cp2"]);
  });

  test("relative dates are left to the user", () => {
    expect(completeHistoryRange(["cp1"], "-2")).toEqual([]);
    expect(completeHistoryRange(["cp1"], "cp1:-")).toEqual([]);
  });
});

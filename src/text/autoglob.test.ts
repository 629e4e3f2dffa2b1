import { describe, expect, test } from "bun:test";
import { autoglob } from "./autoglob.ts";

// Every expected value was produced by running WALT's Python autoglob on the same list. Note that the code
// separates alternatives with `|` inside brackets (the comment in autoglob.py shows `,`).
const CASES: [string[], string][] = [
  [["rpi-b", "rpi-2-b", "rpi-3-b", "qemu-arm", "pc-x86-64", "pc-x86-32"], "rpi-[b|2-b|3-b],qemu-arm,pc-x86-[64|32]"],
  [["rpi-b", "rpi-2-b", "rpi-3-b", "pc-x86-64", "pc-x86-32"], "rpi-[b|2-b|3-b],pc-x86-[64|32]"],
  [["pc-x86-64", "pc-x86-32"], "pc-x86-[64|32]"],
  [["rpi-b", "rpi-b-plus"], "rpi-b[-plus]"],
  [["rpi-3-b", "rpi-3-b-plus", "rpi-4-b", "rpi-5-b"], "rpi-[3-b[-plus]|4-b|5-b]"],
  [
    ["rpi-b", "rpi-b-plus", "rpi-2-b", "rpi-3-b", "rpi-3-b-plus", "rpi-4-b", "pc-x86-32", "pc-x86-64", "qemu-arm"],
    "rpi-[b[-plus]|2-b|3-b[-plus]|4-b],pc-x86-[32|64],qemu-arm",
  ],
  [["a", "b"], "a,b"],
  [["aa", "ab"], "aa,ab"],
  [["abc", "abd", "xbc"], "abc,abd,xbc"],
  [["pc-x86-64"], "pc-x86-64"],
  [[], ""],
  [["rpi-400", "rpi-4-b", "rpi-5-b", "rpi-zero-2-w"], "rpi-[400,4-b|5-b|zero-2-w]"],
  [["qemu-arm", "qemu-arm64", "qemu-x86"], "qemu-[arm[64]|x86]"],
  [["x", "x"], "x"],
];

describe("autoglob", () => {
  test.each(CASES)("compacts %p into %p like WALT", (words, expected) => {
    expect(autoglob(words)).toBe(expected);
  });

  test("depends on the order of the words, as WALT does", () => {
    expect(autoglob(["pc-x86-32", "pc-x86-64"])).toBe("pc-x86-[32|64]");
  });

  test("does not modify its input", () => {
    const words = ["rpi-b", "rpi-2-b"];
    autoglob(words);
    expect(words).toEqual(["rpi-b", "rpi-2-b"]);
  });
});

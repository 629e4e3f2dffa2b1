import { describe, expect, test } from "bun:test";
import { isNonNegativeInt, pyInt, pyStr } from "./py.ts";

describe("Python's int()", () => {
  const cases: [string, number | null][] = [
    ["42", 42],
    ["007", 7],
    [" 5\n", 5],
    ["+3", 3],
    ["-3", -3],
    ["-0", 0],
    ["1_000", 1000],
    ["\u0665", 5], // Arabic-Indic five
    ["\u{1D7D9}", 1], // mathematical double-struck one, second run of a contiguous block
    ["1__0", null],
    ["_1", null],
    ["1_", null],
    ["", null],
    ["1.5", null],
    ["0x10", null],
    ["1 2", null],
    ["abc", null],
  ];
  test.each(cases)("parses %j as %p", (s, expected) => {
    expect(pyInt(s)).toBe(expected);
  });

  test("a non-negative check refuses negative numbers and non-numbers", () => {
    expect([isNonNegativeInt("0"), isNonNegativeInt("-1"), isNonNegativeInt("x")]).toEqual([true, false, false]);
  });
});

describe("Python's str()", () => {
  test("renders None, booleans, numbers and strings like Python", () => {
    expect([null, true, false, 4, "x"].map(pyStr)).toEqual(["None", "True", "False", "4", "x"]);
  });
});

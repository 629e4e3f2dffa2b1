import { describe, expect, test } from "bun:test";
import type { WallTime } from "./local-time.ts";
import { applyStrSpec, pyDatetimeRepr, pyDatetimeStr, pyStrRepr } from "./py-format.ts";

const wall = (second: number, microsecond: number): WallTime => ({
  year: 2024, month: 1, day: 2, hour: 3, minute: 4, second, microsecond, weekday: 2, yearDay: 1,
});

// Expected values were produced by Python 3.11.
describe("applyStrSpec", () => {
  test.each([
    ["05", "ab000"],
    ["<05", "ab000"],
    [">5", "   ab"],
    ["^6", "  ab  "],
    ["*^6", "**ab**"],
    ["x<4", "abxx"],
    [".2", "ab"],
    ["5.2s", "ab   "],
    ["010", "ab00000000"],
    ["s", "ab"],
    ["0", "ab"],
    ["<", "ab"],
    ["\n>4", "\n\nab"],
    [".1", "a"],
  ])("formats 'ab' with spec %p", (spec, expected) => {
    expect(applyStrSpec("ab", spec)).toBe(expected);
  });

  test.each([
    ["=5", "'=' alignment not allowed in string format specifier"],
    ["+5", "Sign not allowed in string format specifier"],
    [",", "Cannot specify ',' with 's'."],
    ["#5", "Alternate form (#) not allowed in string format specifier"],
    ["d", "Unknown format code 'd' for object of type 'str'"],
    ["ss", "Invalid format specifier 'ss' for object of type 'str'"],
    [".", "Format specifier missing precision"],
    ["z5", "Negative zero coercion (z) not allowed in string format specifier"],
  ])("rejects spec %p with Python's message", (spec, message) => {
    expect(() => applyStrSpec("ab", spec)).toThrow(message);
  });

  test("counts width and precision in code points", () => {
    expect(applyStrSpec("\u{1F600}é", ">4")).toBe("  \u{1F600}é");
    expect(applyStrSpec("\u{1F600}é", ".1")).toBe("\u{1F600}");
  });
});

describe("pyStrRepr", () => {
  const tricky = "it's \"é\" \x00\x7f\x85\u2028\u{1F600} \udc80 \\\\ \t";
  test("escapes like Python's repr()", () => {
    expect(pyStrRepr(tricky)).toBe("'it\\'s \"é\" \\x00\\x7f\\x85\\u2028\u{1F600} \\udc80 \\\\\\\\ \\t'");
  });
  test("escapes every non-ASCII character like Python's ascii()", () => {
    expect(pyStrRepr(tricky, true)).toBe("'it\\'s \"\\xe9\" \\x00\\x7f\\x85\\u2028\\U0001f600 \\udc80 \\\\\\\\ \\t'");
  });
  test.each([
    ['"x', "'\"x'"],
    ["'x", '"\'x"'],
    ["'x\"", "'\\'x\"'"],
  ])("chooses the quotes of %p like Python", (s, expected) => {
    expect(pyStrRepr(s)).toBe(expected);
  });
});

describe("datetime rendering", () => {
  test.each([
    [5, 6, "2024-01-02 03:04:05.000006", "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)"],
    [5, 0, "2024-01-02 03:04:05", "datetime.datetime(2024, 1, 2, 3, 4, 5)"],
    [0, 0, "2024-01-02 03:04:00", "datetime.datetime(2024, 1, 2, 3, 4)"],
  ])("renders second %p and microsecond %p like str() and repr()", (second, micro, str, repr) => {
    expect(pyDatetimeStr(wall(second, micro))).toBe(str);
    expect(pyDatetimeRepr(wall(second, micro))).toBe(repr);
  });
});

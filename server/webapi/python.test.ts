import { describe, expect, test } from "bun:test";
import { pyBool, pyFloat, pyJsonLoads, pyJsonString, pyRepr, pyStr } from "./python.ts";

describe("Python behaviours", () => {
  test("json.loads accepts JSON and Python's NaN and Infinity, and refuses the rest", () => {
    expect(pyJsonLoads("true")).toBe(true);
    expect(pyJsonLoads(" 12.5 ")).toBe(12.5);
    expect(pyJsonLoads("NaN")).toBeNaN();
    expect(pyJsonLoads("-Infinity")).toBe(-Infinity);
    expect(pyJsonLoads("abc")).toBeUndefined();
    expect(pyJsonLoads("")).toBeUndefined();
  });

  test("float() converts numbers, booleans and numeric strings like Python", () => {
    expect(pyFloat(3)).toBe(3);
    expect(pyFloat(true)).toBe(1);
    expect(pyFloat(" 1_000.5 ")).toBe(1000.5);
    expect(pyFloat("-inf")).toBe(-Infinity);
    expect(pyFloat("nan")).toBeNaN();
    expect(pyFloat("1__0")).toBeUndefined();
    expect(pyFloat(null)).toBeUndefined();
    expect(pyFloat([1])).toBeUndefined();
  });

  test("bool() follows Python truthiness", () => {
    expect([null, false, 0, "", [], {}].map(pyBool)).toEqual([false, false, false, false, false, false]);
    expect([true, 1, "false", [0], { a: 1 }].map(pyBool)).toEqual([true, true, true, true, true]);
  });

  test("str() and repr() print decoded values as Python does", () => {
    expect(pyStr(null)).toBe("None");
    expect(pyStr("abc")).toBe("abc");
    expect(pyRepr([1, "a", null, true])).toBe("[1, 'a', None, True]");
    expect(pyRepr({ a: [1.5] })).toBe("{'a': [1.5]}");
    expect(pyRepr("it's")).toBe(`"it's"`);
    expect(pyRepr(1e-7)).toBe("1e-07");
  });

  test("json.dumps strings escape everything outside printable ASCII", () => {
    expect(pyJsonString('a"b\n')).toBe('"a\\"b\\n"');
    expect(pyJsonString("é\u007f")).toBe('"\\u00e9\\u007f"');
  });
});

import { describe, expect, test } from "bun:test";
import { WebApiError } from "./errors.ts";
import { convertValue, filterItems, queryParams } from "./filters.ts";

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof WebApiError) return `${e.status} ${e.message}`;
    throw e;
  }
  return "no error";
};

describe("query parameter decoding", () => {
  test("parameters keep their first position and their last value", () => {
    expect([...queryParams("http://h/x?b=1&a=2&b=3&c")]).toEqual([
      ["b", "3"],
      ["a", "2"],
      ["c", ""],
    ]);
  });

  test("string fields are taken as they are", () => {
    expect(convertValue("true", "str")).toBe("true");
  });

  test("boolean fields are JSON-decoded then converted with Python's bool()", () => {
    expect(convertValue("true", "bool")).toBe(true);
    expect(convertValue("0", "bool")).toBe(false);
    expect(convertValue('"false"', "bool")).toBe(true);
    expect(message(() => convertValue("yes", "bool"))).toBe("400 cannot interpret 'yes' as a 'bool'.");
  });

  test("float fields show the decoded value in their error message", () => {
    expect(convertValue("1.7e9", "float")).toBe(1.7e9);
    expect(message(() => convertValue("abc", "float"))).toBe("400 cannot interpret 'abc' as a 'float'.");
    expect(message(() => convertValue("null", "float"))).toBe("400 cannot interpret 'None' as a 'float'.");
    expect(message(() => convertValue('"x y"', "float"))).toBe("400 cannot interpret 'x y' as a 'float'.");
  });
});

describe("filtering items", () => {
  const items = [
    { name: "a", on: true },
    { name: "b", on: false },
  ];
  const types = { name: "str", on: "bool" } as const;

  test("every non-empty filter must match", () => {
    expect(filterItems(items, types, new Map([["on", "false"]]))).toEqual([{ name: "b", on: false }]);
    expect(filterItems(items, types, new Map([["name", "a"], ["on", "false"]]))).toEqual([]);
  });

  test("an empty value is ignored", () => {
    expect(filterItems(items, types, new Map([["on", ""]]))).toHaveLength(2);
  });

  test("an unknown field is refused, even with an empty value", () => {
    expect(message(() => filterItems(items, types, new Map([["color", ""]])))).toBe("400 'color' is not a valid filtering field.");
    expect(message(() => filterItems(items, types, new Map([["toString", "x"]])))).toBe("400 'toString' is not a valid filtering field.");
  });

  test("the first invalid parameter names the error", () => {
    expect(message(() => filterItems(items, types, new Map([["on", "x"], ["zz", "1"]])))).toBe("400 cannot interpret 'x' as a 'bool'.");
  });
});

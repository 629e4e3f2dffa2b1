import { describe, expect, test } from "bun:test";
import { cellText, charLen, columnate } from "./table.ts";

// Expected strings were produced by WALT's Python columnate on the same data.
describe("columnate", () => {
  test("pads every column, keeps trailing padding and renders null as empty", () => {
    const out = columnate(["name", "node_type", "x"], [["vn1", "virtual", null], ["rpi-long-name", "physical", 3]]);
    expect(out).toBe(
      "name           node type  x\n-------------  ---------  -\nvn1            virtual     \nrpi-long-name  physical   3",
    );
  });

  test("renders nothing when there is no data row, even with a header", () => {
    expect(columnate(["a"], [])).toBe("");
  });

  test("omits the header and separator rows without a header", () => {
    expect(columnate(null, [["a", "b"]])).toBe("a  b");
  });

  test("drops empty columns on request", () => {
    expect(columnate(["c1", "c2", "c3"], [["a", "", ""], ["bb", undefined, "x"]], { shrinkEmptyCols: true })).toBe(
      "c1  c3\n--  --\na     \nbb  x ",
    );
  });

  test("right-aligns the columns marked with >", () => {
    expect(columnate(["n", "s"], [["1", "abc"], ["100", "d"]], { align: "><" })).toBe("  n  s  \n---  ---\n  1  abc\n100  d  ");
  });

  test("ignores ANSI colour sequences when measuring widths", () => {
    expect(columnate(["col", "y"], [["\x1b[1mab\x1b[0m", "x"]])).toBe("col  y\n---  -\n\x1b[1mab\x1b[0m   x");
  });

  test("renders booleans and numbers like Python's str()", () => {
    expect(columnate(["a", "b"], [[true, 1.5]])).toBe("a     b  \n----  ---\nTrue  1.5");
  });

  test.each([
    ["columnate" as const, ["in_use", "compatibility:compact"], "in use  compatibility:compact"],
    ["np_columnate" as const, ["in_use", "compatibility:compact"], "in-use  compatibility"],
  ])("prettifies header names in the %s style", (style, header, firstLine) => {
    const out = columnate(header, [["x", "y"]], { headerStyle: style });
    expect(out.split("\n")[0]?.trimEnd()).toBe(firstLine);
  });
});

describe("cell helpers", () => {
  test.each([
    [null, ""],
    [undefined, ""],
    [false, "False"],
    [42, "42"],
    ["x", "x"],
  ])("renders the cell %p as %p", (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });

  test("counts code points, not UTF-16 units", () => {
    expect(charLen("é\u{1F600}")).toBe(2);
  });
});

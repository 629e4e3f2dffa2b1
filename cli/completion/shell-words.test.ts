import { describe, expect, test } from "bun:test";
import { splitShellLine, trimForBash } from "./shell-words.ts";

describe("splitShellLine", () => {
  test("blanks separate words and the last word is the one being typed", () => {
    expect(splitShellLine("walt node  reboot vn1,my-n")).toEqual({ words: ["walt", "node", "reboot"], partial: "vn1,my-n" });
  });

  test("a line ending with a blank completes an empty word", () => {
    expect(splitShellLine("walt help show ")).toEqual({ words: ["walt", "help", "show"], partial: "" });
  });

  test("quotes and backslashes are removed as the shell would", () => {
    expect(splitShellLine(`walt log show 'a b' "c\\"d" e\\ f`)).toEqual({ words: ["walt", "log", "show", "a b", 'c"d'], partial: "e f" });
  });

  test("an unterminated quote keeps the partial word open", () => {
    expect(splitShellLine(`walt log wait "DONE now`)).toEqual({ words: ["walt", "log", "wait"], partial: "DONE now" });
  });

  test("colons and equal signs stay inside words", () => {
    expect(splitShellLine("walt log show --history cp1:")).toEqual({ words: ["walt", "log", "show", "--history"], partial: "cp1:" });
  });
});

describe("trimForBash", () => {
  test("candidates lose what precedes bash's current word", () => {
    expect(trimForBash(["cp1:cp2", "cp1:cp3"], "cp1:cp", "cp")).toEqual(["cp2", "cp3"]);
  });

  test("when bash's word is the separator itself, candidates keep it", () => {
    expect(trimForBash(["cp1:full"], "cp1:", ":")).toEqual([":full"]);
  });

  test("without a separator nothing is trimmed", () => {
    expect(trimForBash(["my-nodes", "my-nodes,"], "vn1,my-n", "vn1,my-n")).toEqual(["my-nodes", "my-nodes,"]);
  });
});

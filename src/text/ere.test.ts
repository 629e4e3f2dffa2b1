import { describe, expect, test } from "bun:test";
import { WaltError } from "../errors.ts";
import { compileEre, isValidEre } from "./ere.ts";

describe("compileEre matching (unanchored search)", () => {
  const cases: [string, string[], string[]][] = [
    ["platform.*", ["platform.nodes", "walt-server.platform"], ["daemon.stdout"]],
    ["^daemon\\.", ["daemon.stdout"], ["daemonXstdout", "x daemon.y"]],
    ["booted$", ["node vn1 is booted"], ["booted!", "booted\n"]],
    ["a.b", ["a\nb", "aéb"], ["ab"]],
    ["colou?r", ["color", "colour"], ["colouur"]],
    ["(ab)+c", ["ababc"], ["ac"]],
    ["x{2,3}", ["xx", "axxxb"], ["x"]],
    ["^x{2}$", ["xx"], ["xxx"]],
    ["^x{2,}$", ["xxxxx"], ["x"]],
    ["^x{,2}$", ["", "xx"], ["xxx"]],
    ["cat|dog", ["hotdog"], ["bird"]],
    ["^(|a)b$", ["b", "ab"], ["aab"]],
    ["[]abc]", ["]", "b"], ["d"]],
    ["[^]abc]", ["d"], ["]", "a"]],
    ["^[a-c-]+$", ["a-c"], ["d"]],
    ["^[[:alpha:]][[:digit:]]$", ["a1", "é9"], ["11", "a"]],
    ["[[:space:][:punct:]]", ["a b", "a!"], ["ab"]],
    ["^[[:upper:]][[:lower:]]*$", ["Node"], ["node"]],
    ["^[[:xdigit:]]+$", ["0aF"], ["g"]],
    ["[[.-.]]", ["a-b"], ["ab"]],
    ["[[=e=]]", ["e"], ["é"]],
    ["[a\\]", ["\\", "a"], ["b"]],
    ["\\.\\*\\[\\(\\{\\|\\\\", [".*[({|\\"], ["x"]],
    ["a]b}c", ["a]b}c"], ["abc"]],
    ["\\d+ms", ["12ms"], ["ms"]],
    ["\\bvn1\\b", ["node vn1 up"], ["vn12"]],
    ["^\\w+\\W\\s\\S$", ["ab_1. x"], ["ab x"]],
    [".*?x", ["abx"], ["ab"]],
    ["", ["", "anything"], []],
    ["\u{1F600}+", ["\u{1F600}\u{1F600}"], ["\uD83D"]],
    ["[/]", ["a/b"], ["ab"]],
  ];
  test.each(cases)("%p matches and rejects the right lines", (re, matching, notMatching) => {
    const rx = compileEre(re);
    for (const s of matching) expect(rx.test(s)).toBe(true);
    for (const s of notMatching) expect(rx.test(s)).toBe(false);
  });
});

describe("invalid expressions", () => {
  test.each([
    "(",
    "a)",
    "(a",
    "*a",
    "a|*b",
    "(*a)",
    "^*",
    "a**",
    "a+*",
    "x{2}{3}",
    "a{",
    "a{x}",
    "a{,}",
    "a{3,2}",
    "a{256}",
    "[a",
    "[]",
    "[^]",
    "[z-a]",
    "[a-c-e]",
    "[[:nope:]]",
    "[[:alpha:]-z]",
    "[[.ab.]]",
    "[[:alpha:",
    "a\\",
    "\\1",
    "\\q",
    "(?i)abc",
    "\\b*",
  ])("%p is refused with WALT's message", (re) => {
    expect(isValidEre(re)).toBe(false);
    let error: unknown;
    try {
      compileEre(re);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WaltError);
    expect((error as WaltError).code).toBe("USAGE");
    expect((error as WaltError).message).toBe(`Invalid regular expression: ${re}.`);
  });

  test.each(["platform.*", "a{0,255}", "[%--]", "()", "a||b"])("%p is accepted", (re) => {
    expect(isValidEre(re)).toBe(true);
  });
});

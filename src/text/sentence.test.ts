import { describe, expect, test } from "bun:test";
import { compareCodePoints, formatSentence, formatSentenceAboutNodes, pyCapitalize, pyPercentFormat } from "./sentence.ts";

// Expected values were produced by running WALT's Python format_sentence on the same inputs.
const BOOT_DEFAULT =
  "%s will now boot its(their) default image (other users will see it(they) is(are) 'free').";
const OTHER_USERS = "Warning: %s seems(seem) to be used by another(other) user(users).";
const NOT_NODES = "Error: %s is(are) not a() WalT node(nodes).";

describe("formatSentence", () => {
  const cases: [string, string, string[], string | undefined, string | undefined, object, string][] = [
    ["one node, lower-casing the template", "%s: rebooted OK.", ["vn1"], "Node", "Nodes", {}, "Node vn1: rebooted ok."],
    ["two nodes, sorted", "%s: rebooted OK.", ["vn2", "vn1"], "Node", "Nodes", {}, "Nodes vn1 and vn2: rebooted ok."],
    ["more than five items", "%s: rebooted OK.", ["a", "b", "c", "d", "e", "f"], "Node", "Nodes", {}, "6 nodes: rebooted ok."],
    ["no item", "%s: rebooted OK.", [], "Node", "Nodes", { none: "No nodes" }, "No nodes: rebooted ok."],
    ["plural conjugation", OTHER_USERS, ["Y", "X"], "Node", "Nodes", {}, "Warning: nodes X and Y seem to be used by other users."],
    ["singular conjugation", OTHER_USERS, ["X"], "Node", "Nodes", {}, "Warning: node X seems to be used by another user."],
    ["an empty singular alternative", NOT_NODES, ["sw1"], "Device", "Devices", {}, "Error: device sw1 is not a walt node."],
    ["an empty plural alternative", NOT_NODES, ["sw1", "sw2"], "Device", "Devices", {}, "Error: devices sw1 and sw2 are not  walt nodes."],
    ["an 'or' list", "Failed to download img from %s.", ["hub", "docker"], "registry", "registries", { listType: "or" }, "Failed to download img from registries docker or hub."],
    ["release, plural", BOOT_DEFAULT, ["X", "Y"], "Node", "Nodes", {}, "Nodes X and Y will now boot their default image (other users will see they are 'free')."],
    ["release, singular", BOOT_DEFAULT, ["X"], "Node", "Nodes", {}, "Node X will now boot its default image (other users will see it is 'free')."],
    ["three items with commas", "%s: ok", ["c", "a", "b"], "Node", "Nodes", {}, "Nodes a, b and c: ok"],
    ["a missing none label renders None", "%s has(have)", [], "x", "y", {}, "None have"],
    ["a missing plural label in the summary", "%s has(have)", ["a", "b", "c", "d", "e", "f", "g"], "x", undefined, {}, "7 none have"],
    ["a parenthesis after a space is not a pattern", "x (y) %s a()b(c) é(è)", ["n"], "ÉLAN", "x", {}, "X (y) élan n ab é"],
    ["a custom maximum", "%s: ok", ["a", "b", "c"], "Node", "Nodes", { maxItems: 2 }, "3 nodes: ok"],
    ["reboot failure", "%s: failed soft-reboot (Timeout) and PoE-reboot (No PoE)", ["n"], "Node", "Nodes", {}, "Node n: failed soft-reboot (timeout) and poe-reboot (no poe)"],
  ];
  test.each(cases)("renders %s", (_name, template, items, singular, plural, options, expected) => {
    expect(formatSentence(template, items, singular, plural, options)).toBe(expected);
  });

  test("item names keep their case while the template is lower-cased", () => {
    expect(formatSentenceAboutNodes("%s: See `walt help`", ["RPI-A"])).toBe("Node RPI-A: see `walt help`");
  });

  test("a missing singular label for one item is an error, as in Python", () => {
    expect(() => formatSentence("%s", ["a"], undefined, "x")).toThrow(TypeError);
  });

  test("a missing plural label for a short list is an error, as in Python", () => {
    expect(() => formatSentence("%s", ["a", "b"], "x", undefined)).toThrow(TypeError);
  });
});

describe("pyCapitalize", () => {
  test.each([
    ["", ""],
    ["hello World", "Hello world"],
    ["WalT PoE", "Walt poe"],
    ["ß x", "Ss x"],
    ["\u01c6a", "\u01c5a"],
    ["éCOLE", "École"],
    ["1ABC", "1abc"],
  ])("capitalizes %p as %p", (input, expected) => {
    expect(pyCapitalize(input)).toBe(expected);
  });
});

describe("pyPercentFormat", () => {
  test("substitutes %s in order and unescapes %%", () => {
    expect(pyPercentFormat("%s is 100%% %s", ["a", "b"])).toBe("a is 100% b");
  });
  test("rejects too few arguments", () => {
    expect(() => pyPercentFormat("%s %s", ["a"])).toThrow("not enough arguments");
  });
  test("rejects unused arguments", () => {
    expect(() => pyPercentFormat("abc", ["a"])).toThrow("not all arguments converted");
  });
});

describe("compareCodePoints", () => {
  test("orders astral characters after the BMP like Python", () => {
    expect(["\u{1F600}", "\uFFFD", "a"].sort(compareCodePoints)).toEqual(["a", "\uFFFD", "\u{1F600}"]);
  });
  test("orders a prefix first", () => {
    expect(compareCodePoints("ab", "abc")).toBeLessThan(0);
    expect(compareCodePoints("abc", "abc")).toBe(0);
  });
});

import { describe, expect, test } from "bun:test";
import { stripAnsi, truncateAnsi, visibleLength } from "./pager-ansi.ts";
import { renderMarkdown } from "./pager-markdown.ts";
import { getTopic, listTopics } from "../help/topics.ts";

const plain = (md: string, columns = 40): string[] => renderMarkdown(md, columns).lines.map(stripAnsi);

describe("markdown rendering", () => {
  test("headings are bold and coloured, separated from the text by a blank line", () => {
    const { lines } = renderMarkdown("# Title\ntext", 40);
    expect(lines[0]).toBe(" \x1b[1;35;4mTitle\x1b[0m");
    expect(lines.slice(1).map(stripAnsi)).toEqual(["", " text"]);
  });

  test("paragraph lines are joined and wrapped to the width, with a one-column margin", () => {
    const lines = plain("one two three\nfour five six seven eight nine", 20);
    expect(lines).toEqual([" one two three four", " five six seven", " eight nine"]);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
  });

  test("inline code, bold and external links are styled", () => {
    const [line] = renderMarkdown("a `b c` **d** [e](https://x.org)", 60).lines;
    expect(line).toBe(" a \x1b[36mb c\x1b[0m \x1b[1md\x1b[0m e (\x1b[34;4mhttps://x.org\x1b[0m)");
  });

  test("topic links are highlighted and located; the selected one is in reverse video", () => {
    const md = "See [`walt help show shells`](shells.md).\n\nAnd [`walt help show tutorial`](tutorial.md).";
    const doc = renderMarkdown(md, 60, 1);
    expect(doc.links).toEqual([
      { topic: "shells", line: 0 },
      { topic: "tutorial", line: 2 },
    ]);
    expect(doc.lines[0]).toBe(" See \x1b[1;34mwalt help show shells\x1b[0m.");
    expect(doc.lines[2]).toBe(" And \x1b[1;34;7mwalt help show tutorial\x1b[0m.");
  });

  test("a wrapped link is located on the line where it starts", () => {
    const doc = renderMarkdown("word ".repeat(7) + "[`walt help show shells`](shells.md)", 40);
    expect(stripAnsi(doc.lines[1] ?? "")).toBe(" walt help show shells");
    expect(doc.links).toEqual([{ topic: "shells", line: 1 }]);
  });

  test("lists get bullets, nesting and hanging indentation", () => {
    expect(plain("* one\n* two is a longer item\n  continued\n  - nested\n1. first", 24)).toEqual([
      " • one",
      " • two is a longer item",
      "   continued",
      "   • nested",
      " 1. first",
    ]);
  });

  test("code blocks keep their lines, are indented and coloured", () => {
    const { lines } = renderMarkdown("```\n$ walt node show\n  x   y\n```", 40);
    expect(lines).toEqual([" \x1b[36m  $ walt node show\x1b[0m", " \x1b[36m    x   y\x1b[0m"]);
  });

  test("tables are aligned, with a bold header and a rule", () => {
    expect(plain("| a | long header |\n|---|---|\n| `xyz` | 1 |", 40)).toEqual([" a    long header", " ───  ───────────", " xyz  1"]);
  });

  test("block quotes get a bar and escaped characters are literal", () => {
    expect(plain("> quoted \\*text\\*", 40)).toEqual([" │ quoted *text*"]);
  });

  test("long code lines are cut, not hidden", () => {
    expect(plain("```\n" + "x".repeat(30) + "\n```", 22)).toEqual([" " + "  " + "x".repeat(18), " " + "x".repeat(12)]);
  });

  test("every help topic fits in an 80-column terminal", () => {
    for (const { name } of listTopics()) {
      const doc = renderMarkdown(getTopic(name) ?? "", 80);
      expect(doc.lines.length).toBeGreaterThan(2);
      const wide = doc.lines.filter((l) => visibleLength(l) > 80).map(stripAnsi);
      expect({ name, wide }).toEqual({ name, wide: [] });
    }
  });
});

describe("ansi helpers", () => {
  test("truncation counts visible columns and closes the style", () => {
    expect(truncateAnsi("ab\x1b[1mcdef\x1b[0m", 4)).toBe("ab\x1b[1mcd\x1b[0m");
    expect(truncateAnsi("abc", 5)).toBe("abc");
    expect(visibleLength("\x1b[1;34mé\x1b[0m")).toBe(1);
  });
});

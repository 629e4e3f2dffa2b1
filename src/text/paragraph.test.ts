import { describe, expect, test } from "bun:test";
import { formatParagraph } from "./paragraph.ts";

// Expected strings were produced by WALT's Python format_paragraph.
describe("formatParagraph", () => {
  test.each([
    ["without footnote", undefined, "\n\x1b[1mTitle:\n\x1b[0m\ncontent\n\n"],
    ["with an empty footnote", "", "\n\x1b[1mTitle:\n\x1b[0m\ncontent\n\n"],
    ["with a footnote", "foot", "\n\x1b[1mTitle:\n\x1b[0m\ncontent\n\nfoot\n\n"],
  ])("formats a section %s", (_name, footnote, expected) => {
    expect(formatParagraph("Title:", "content", footnote)).toBe(expected);
  });
});

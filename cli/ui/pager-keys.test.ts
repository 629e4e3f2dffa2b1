import { describe, expect, test } from "bun:test";
import { applyKey, currentView, initialState, parseKeys, type PageInfo, type PagerState } from "./pager-keys.ts";

const exists = (t: string): boolean => t !== "missing";
/** 50 lines, 10 per page, links on lines 2, 5, 30 and 45. */
const page: PageInfo = {
  numLines: 50,
  pageHeight: 10,
  links: [
    { topic: "a", line: 2 },
    { topic: "b", line: 5 },
    { topic: "c", line: 30 },
    { topic: "missing", line: 45 },
  ],
};

function press(keys: string, s: PagerState = initialState("intro"), p: PageInfo = page): PagerState | "quit" {
  let state: PagerState | "quit" = s;
  for (const k of parseKeys(keys)) {
    if (state === "quit") break;
    state = applyKey(state, k, p, exists);
  }
  return state;
}
const view = (s: PagerState | "quit") => (s === "quit" ? s : currentView(s));

describe("pager keys", () => {
  test("raw chunks are split into keys, unknown sequences skipped", () => {
    expect(parseKeys("\x1b[A\x1b[B\x1b[5~\x1b[6~\t\x1b[Z\r\x7f\bq")).toEqual([
      "up", "down", "pageUp", "pageDown", "tab", "shiftTab", "enter", "back", "back", "quit",
    ]);
    expect(parseKeys("\x1b[15~x\x1bOA\x1b")).toEqual(["up"]);
    expect(parseKeys("\x03")).toEqual(["quit"]);
  });

  test("q quits", () => {
    expect(press("q")).toBe("quit");
  });

  test("arrows scroll one line and page keys one page, within the text", () => {
    expect(view(press("\x1b[B\x1b[B"))).toMatchObject({ scroll: 2 });
    expect(view(press("\x1b[B\x1b[A\x1b[A"))).toMatchObject({ scroll: 0 });
    expect(view(press("\x1b[6~\x1b[6~"))).toMatchObject({ scroll: 20 });
    expect(view(press("\x1b[6~".repeat(9)))).toMatchObject({ scroll: 40 });
    expect(view(press("\x1b[6~\x1b[6~\x1b[5~"))).toMatchObject({ scroll: 10 });
  });

  test("a text shorter than the page does not scroll", () => {
    expect(view(press("\x1b[B\x1b[6~", initialState("x"), { numLines: 3, pageHeight: 10, links: [] }))).toMatchObject({ scroll: 0 });
  });

  test("tab selects the first visible link, then the next ones, scrolling to them", () => {
    expect(view(press("\t"))).toMatchObject({ selected: 0, scroll: 0 });
    expect(view(press("\t\t"))).toMatchObject({ selected: 1, scroll: 0 });
    expect(view(press("\t\t\t"))).toMatchObject({ selected: 2, scroll: 22 });
    // after scrolling away, tab starts again from what is visible
    expect(view(press("\t\x1b[6~\x1b[6~\x1b[6~\t"))).toMatchObject({ selected: 2, scroll: 30 });
  });

  test("shift-tab selects the previous link, wrapping around", () => {
    expect(view(press("\x1b[Z"))).toMatchObject({ selected: 1, scroll: 0 });
    expect(view(press("\t\x1b[Z"))).toMatchObject({ selected: 3, scroll: 40 });
  });

  test("enter opens the selected visible link and backspace returns where the reader was", () => {
    const opened = press("\t\t\r");
    expect(opened !== "quit" && opened.stack.map((v) => v.topic)).toEqual(["intro", "b"]);
    expect(view(opened)).toEqual({ topic: "b", scroll: 0, selected: -1 });
    expect(view(press("\x7f", opened as PagerState))).toEqual({ topic: "intro", scroll: 0, selected: 1 });
  });

  test("enter does nothing without a visible selected link; backspace does nothing on the first topic", () => {
    expect(press("\r")).toEqual(initialState("intro"));
    expect(view(press("\t\x1b[6~\r"))).toMatchObject({ topic: "intro", selected: 0, scroll: 10 });
    expect(press("\b")).toEqual(initialState("intro"));
  });

  test("a link to a missing topic shows a notice instead of opening", () => {
    const s = press("\t\x1b[Z\r");
    expect(s !== "quit" && s.message).toBe("Sorry, no such help topic: missing.");
    expect(s !== "quit" && s.stack.length).toBe(1);
  });
});

import { describe, expect, test } from "bun:test";
import { KEY_HELP, layoutScreen, maxScroll, packKeys, renderScreen } from "./pager-screen.ts";

describe("pager screen", () => {
  test("a short text without links only offers to quit", () => {
    const l = layoutScreen(5, 10, 40, { hasLinks: false, canGoBack: false });
    expect(l.footer).toEqual(["━".repeat(40), " <q>: quit"]);
    expect(l.pageHeight).toBe(8);
    expect(l.scrollable).toBe(false);
  });

  test("a long text with links offers scrolling, link browsing and going back", () => {
    const l = layoutScreen(100, 30, 200, { hasLinks: true, canGoBack: true });
    expect(l.footer[1]).toBe(` ${KEY_HELP.scroll} │ ${KEY_HELP.links} │ ${KEY_HELP.back} │ ${KEY_HELP.quit}`);
    expect(l.scrollable).toBe(true);
    expect(l.pageHeight).toBe(28);
  });

  test("key help is packed on several lines when the terminal is narrow", () => {
    expect(packKeys(["aaaa: x", "bbbb: y", "<q>: quit"], 20)).toEqual([" aaaa: x │ bbbb: y", " <q>: quit"]);
  });

  test("a text that only scrolls because of the footer is still scrollable", () => {
    // 8 lines on 10 rows: fits above a 2-line footer; 9 lines do not
    expect(layoutScreen(8, 10, 100, { hasLinks: false, canGoBack: false }).scrollable).toBe(false);
    expect(layoutScreen(9, 10, 100, { hasLinks: false, canGoBack: false }).scrollable).toBe(true);
  });

  test("a notice is shown in reverse video above the footer", () => {
    const l = layoutScreen(1, 10, 20, { hasLinks: false, canGoBack: false, message: "oops" });
    expect(l.footer[0]).toBe("\x1b[1;7m oops" + " ".repeat(15) + "\x1b[0m");
    expect(l.pageHeight).toBe(7);
  });

  test("the screen shows one page from the scroll offset, then the footer, from the top-left corner", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const layout = layoutScreen(lines.length, 6, 60, { hasLinks: false, canGoBack: false });
    const screen = renderScreen(lines, 3, layout, 60);
    expect(screen.startsWith("\x1b[H")).toBe(true);
    expect(screen.endsWith("\r\n")).toBe(false);
    const rows = screen.slice(3).split("\r\n").map((r) => r.replace(/\x1b\[K$/, ""));
    expect(rows).toEqual(["line 3", "line 4", "line 5", "line 6", "━".repeat(60), ` ${KEY_HELP.scroll} │ ${KEY_HELP.quit}`]);
    expect(maxScroll(20, layout.pageHeight)).toBe(16);
  });

  test("rows past the end of the text are blank and long lines are truncated", () => {
    const layout = layoutScreen(1, 4, 10, { hasLinks: false, canGoBack: false });
    const rows = renderScreen(["x".repeat(15)], 0, layout, 10).slice(3).split("\r\n");
    expect(rows).toEqual(["x".repeat(10) + "\x1b[K", "\x1b[K", "━".repeat(10) + "\x1b[K", " <q>: quit\x1b[K"]);
  });
});

/**
 * The pager's screen: a window on the rendered lines, then a footer naming the keys that currently do
 * something. Pure: the whole screen is one string written at once, starting at the top-left corner.
 */
import { CLEAR_EOL, HOME, RESET, sgr, truncateAnsi } from "./pager-ansi.ts";

export const KEY_HELP = {
  scroll: "<up>/<down>, <page-up>/<page-down>: scroll",
  links: "<tab>/<shift-tab>: select a link, <enter>: open it",
  back: "<backspace>: previous topic",
  quit: "<q>: quit",
} as const;

/** What the footer depends on. */
export interface FooterState {
  hasLinks: boolean;
  canGoBack: boolean;
  /** A one-off notice shown above the footer (e.g. a link to a missing topic). */
  message?: string | undefined;
}

export interface ScreenLayout {
  /** Rows available for text. */
  pageHeight: number;
  /** Footer rows, top to bottom (notice, separator, key lines). */
  footer: string[];
  scrollable: boolean;
}

/** Key help entries packed on as few lines as fit in `columns`, separated by ` │ `. */
export function packKeys(keys: string[], columns: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const k of keys) {
    const candidate = line === "" ? ` ${k}` : `${line} │ ${k}`;
    if (line !== "" && candidate.length > columns) {
      lines.push(line);
      line = ` ${k}`;
    } else line = candidate;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Decide the footer and the page height for a text of `numLines` lines on a `rows`×`columns` screen. */
export function layoutScreen(numLines: number, rows: number, columns: number, f: FooterState): ScreenLayout {
  const build = (scrollable: boolean): string[] => {
    const keys: string[] = [];
    if (scrollable) keys.push(KEY_HELP.scroll);
    if (f.hasLinks) keys.push(KEY_HELP.links);
    if (f.canGoBack) keys.push(KEY_HELP.back);
    keys.push(KEY_HELP.quit);
    const notice = f.message === undefined ? [] : [sgr(1, 7) + ` ${f.message} `.padEnd(columns) + RESET];
    return [...notice, "━".repeat(columns), ...packKeys(keys, columns)];
  };
  // Whether the text scrolls depends on the footer height, which depends on whether it scrolls.
  let footer = build(false);
  let scrollable = numLines > rows - footer.length;
  if (scrollable) {
    footer = build(true);
    scrollable = true;
  }
  return { pageHeight: Math.max(1, rows - footer.length), footer, scrollable };
}

/** Largest useful scroll offset: the last page is full. */
export const maxScroll = (numLines: number, pageHeight: number): number => Math.max(0, numLines - pageHeight);

/** The full screen: `pageHeight` text rows from `scroll`, then the footer; no trailing newline (no scrolling). */
export function renderScreen(lines: string[], scroll: number, layout: ScreenLayout, columns: number): string {
  const rows: string[] = [];
  for (let r = 0; r < layout.pageHeight; r += 1) rows.push(truncateAnsi(lines[scroll + r] ?? "", columns));
  rows.push(...layout.footer.map((l) => truncateAnsi(l, columns)));
  return HOME + rows.map((r) => r + CLEAR_EOL).join("\r\n");
}

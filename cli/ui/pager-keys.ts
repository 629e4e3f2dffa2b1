/**
 * Pager key handling, separated from terminal I/O: raw input chunks → keys, and keys → the next state.
 * The state is a stack of views: opening a link pushes one, Backspace pops back to where the reader was.
 */

export type Key = "up" | "down" | "pageUp" | "pageDown" | "home" | "end" | "tab" | "shiftTab" | "enter" | "back" | "quit";

const SEQUENCES: [string, Key][] = [
  ["\x1b[A", "up"],
  ["\x1bOA", "up"],
  ["\x1b[B", "down"],
  ["\x1bOB", "down"],
  ["\x1b[5~", "pageUp"],
  ["\x1b[6~", "pageDown"],
  ["\x1b[H", "home"],
  ["\x1bOH", "home"],
  ["\x1b[1~", "home"],
  ["\x1b[F", "end"],
  ["\x1bOF", "end"],
  ["\x1b[4~", "end"],
  ["\x1b[Z", "shiftTab"],
];

const SINGLE: Record<string, Key> = {
  "\t": "tab",
  "\r": "enter",
  "\n": "enter",
  "\x7f": "back",
  "\b": "back",
  q: "quit",
  Q: "quit",
  "\x03": "quit", // Ctrl-C arrives as a byte in raw mode
  " ": "pageDown",
  j: "down",
  k: "up",
};

/** Keys in a chunk of raw terminal input (a chunk may hold several; unknown sequences are skipped). */
export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < chunk.length) {
    const seq = SEQUENCES.find(([s]) => chunk.startsWith(s, i));
    if (seq) {
      keys.push(seq[1]);
      i += seq[0].length;
      continue;
    }
    if (chunk[i] === "\x1b") {
      // an escape sequence we do not use: skip it whole (CSI/SS3), or a lone ESC
      const m = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.)?/.exec(chunk.slice(i));
      i += m?.[0].length ?? 1;
      continue;
    }
    const key = SINGLE[chunk[i] ?? ""];
    if (key) keys.push(key);
    i += 1;
  }
  return keys;
}

/** One topic on screen: where the reader scrolled to and which link is selected (-1: none). */
export interface View {
  topic: string;
  scroll: number;
  selected: number;
}

export interface PagerState {
  /** Last is shown; earlier ones are where Backspace returns. */
  stack: View[];
  message?: string | undefined;
}

/** What the key handler needs to know about the rendered current topic. */
export interface PageInfo {
  numLines: number;
  pageHeight: number;
  links: { topic: string; line: number }[];
}

export const initialState = (topic: string): PagerState => ({ stack: [{ topic, scroll: 0, selected: -1 }] });
export const currentView = (s: PagerState): View => s.stack[s.stack.length - 1] ?? { topic: "", scroll: 0, selected: -1 };

const clamp = (scroll: number, p: PageInfo): number => Math.max(0, Math.min(scroll, p.numLines - p.pageHeight));
const isVisible = (line: number, scroll: number, p: PageInfo): boolean => line >= scroll && line < scroll + p.pageHeight;

/** Select the next (+1) or previous (-1) link, starting from the visible ones, and scroll it into view. */
function moveSelection(v: View, dir: 1 | -1, p: PageInfo): View {
  const n = p.links.length;
  if (n === 0) return v;
  const cur = p.links[v.selected];
  let next: number;
  if (cur && isVisible(cur.line, v.scroll, p)) next = (v.selected + dir + n) % n;
  else if (dir === 1) next = Math.max(0, p.links.findIndex((l) => l.line >= v.scroll));
  else {
    const before = p.links.map((l) => l.line < v.scroll + p.pageHeight);
    next = before.lastIndexOf(true) >= 0 ? before.lastIndexOf(true) : n - 1;
  }
  const line = p.links[next]?.line ?? 0;
  let scroll = v.scroll;
  if (!isVisible(line, scroll, p)) scroll = dir === 1 ? line - p.pageHeight + 2 : line - 2;
  return { ...v, selected: next, scroll: clamp(scroll, p) };
}

/**
 * Apply one key. `exists` tells whether a linked topic can be opened. Returns the next state, or `quit`.
 */
export function applyKey(s: PagerState, key: Key, p: PageInfo, exists: (topic: string) => boolean): PagerState | "quit" {
  const v = currentView(s);
  const below = s.stack.slice(0, -1);
  const withView = (view: View): PagerState => ({ stack: [...below, view] });
  switch (key) {
    case "quit":
      return "quit";
    case "up":
    case "down":
    case "pageUp":
    case "pageDown":
    case "home":
    case "end": {
      const delta = { up: -1, down: 1, pageUp: -p.pageHeight, pageDown: p.pageHeight, home: -Infinity, end: Infinity }[key];
      return withView({ ...v, scroll: clamp(v.scroll + delta, p) });
    }
    case "tab":
      return withView(moveSelection(v, 1, p));
    case "shiftTab":
      return withView(moveSelection(v, -1, p));
    case "enter": {
      const link = p.links[v.selected];
      // only a link the reader can see: Enter on an off-screen selection would be a surprise
      if (!link || !isVisible(link.line, v.scroll, p)) return withView(v);
      if (!exists(link.topic)) return { stack: s.stack, message: `Sorry, no such help topic: ${link.topic}.` };
      return { stack: [...s.stack, { topic: link.topic, scroll: 0, selected: -1 }] };
    }
    case "back":
      return below.length ? { stack: below } : withView(v);
  }
}

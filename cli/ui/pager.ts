/**
 * `walt help show`: a full-screen markdown pager on a terminal, the raw markdown otherwise.
 * Rendering (pager-markdown, pager-screen) and key handling (pager-keys) are pure; this file wires them to an Io.
 */
import { getTopic } from "../help/topics.ts";
import type { Io } from "./io.ts";
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN } from "./pager-ansi.ts";
import { applyKey, currentView, initialState, parseKeys, type PageInfo, type PagerState } from "./pager-keys.ts";
import { renderMarkdown } from "./pager-markdown.ts";
import { layoutScreen, maxScroll, renderScreen } from "./pager-screen.ts";

export const NO_SUCH_TOPIC = 'Sorry, no such help topic. (tip: use "walt help list")';

type Lookup = (name: string) => string | undefined;

/** Render the current state for the current terminal size: the screen text and what keys need to know. */
function frame(state: PagerState, io: Io, lookup: Lookup): { screen: string; page: PageInfo; scroll: number } {
  const { columns, rows } = io.size();
  const view = currentView(state);
  const doc = renderMarkdown(lookup(view.topic) ?? "", columns, view.selected);
  const layout = layoutScreen(doc.lines.length, rows, columns, {
    hasLinks: doc.links.length > 0,
    canGoBack: state.stack.length > 1,
    message: state.message,
  });
  // a resize may leave the saved offset past the end
  const scroll = Math.min(view.scroll, maxScroll(doc.lines.length, layout.pageHeight));
  const page = { numLines: doc.lines.length, pageHeight: layout.pageHeight, links: doc.links };
  return { screen: renderScreen(doc.lines, scroll, layout, columns), page, scroll };
}

const withScroll = (s: PagerState, scroll: number): PagerState => ({
  ...s,
  stack: [...s.stack.slice(0, -1), { ...currentView(s), scroll }],
});

/**
 * Show `topic` full-screen (alternate screen buffer) until the reader presses `q` (or Ctrl-C).
 * Links to other topics are followed through `lookup`.
 */
export function runPager(io: Io, topic: string, lookup: Lookup): Promise<void> {
  return new Promise((resolve) => {
    let state = initialState(topic);
    let current = frame(state, io, lookup);
    let done = false;
    let stop: (() => void) | undefined;
    const finish = (): void => {
      if (done) return;
      done = true;
      stop?.();
      io.interrupted.removeEventListener("abort", finish);
      io.stdout.write(LEAVE_ALT_SCREEN);
      resolve();
    };
    const onData = (chunk: string): void => {
      if (done) return;
      for (const key of parseKeys(chunk)) {
        state = withScroll(state, current.scroll);
        const next = applyKey(state, key, current.page, (t) => lookup(t) !== undefined);
        if (next === "quit") return finish();
        state = next;
        current = frame(state, io, lookup);
      }
      io.stdout.write(current.screen);
    };
    io.stdout.write(ENTER_ALT_SCREEN + current.screen);
    io.interrupted.addEventListener("abort", finish, { once: true });
    stop = io.stdin.raw(onData);
    if (done) stop(); // `q` arrived before raw() returned
    else if (io.interrupted.aborted) finish();
  });
}

/**
 * `walt help show <topic>`: false (after the WALT message on stderr) when the topic does not exist.
 * On a terminal (stdin and stdout) the pager runs; otherwise the markdown is printed as is.
 */
export async function showHelp(io: Io, topic: string, lookup: Lookup = getTopic): Promise<boolean> {
  const md = lookup(topic);
  if (md === undefined) {
    io.stderr.write(NO_SUCH_TOPIC + "\n");
    return false;
  }
  if (!io.stdout.isTTY || !io.stdin.isTTY) {
    io.stdout.write(md.endsWith("\n") ? md : md + "\n");
    return true;
  }
  await runPager(io, topic, lookup);
  return true;
}

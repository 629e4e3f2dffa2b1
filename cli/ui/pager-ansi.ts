/**
 * The few ANSI escape sequences the help pager uses, and width arithmetic that ignores them.
 * Every styled run is closed with RESET, so a rendered line never leaks its style into the next one.
 */

/** Select Graphic Rendition prefix for one styled run. */
export const sgr = (...codes: number[]): string => `\x1b[${codes.join(";")}m`;
export const RESET = "\x1b[0m";

/** Alternate screen buffer on, cursor hidden / the reverse. */
export const ENTER_ALT_SCREEN = "\x1b[?1049h\x1b[?25l";
export const LEAVE_ALT_SCREEN = "\x1b[?25h\x1b[?1049l";
/** Cursor to the top-left corner (redraws overwrite in place instead of scrolling). */
export const HOME = "\x1b[H";
/** Erase from the cursor to the end of the line. */
export const CLEAR_EOL = "\x1b[K";

// CSI sequences (colours, cursor moves) have no width.
const CSI_SOURCE = "\\x1b\\[[0-9;?]*[ -/]*[@-~]";
const CSI = new RegExp(CSI_SOURCE, "g");

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(CSI, "");
}

/** Columns the text occupies on screen (one per code point; help topics are plain text). */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Cut `text` to at most `width` visible columns, keeping escape sequences and closing any open style. */
export function truncateAnsi(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let used = 0;
  let i = 0;
  const csiAt = new RegExp(CSI_SOURCE, "y");
  while (i < text.length && used < width) {
    csiAt.lastIndex = i;
    const m = csiAt.exec(text);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 32);
    out += ch;
    i += ch.length;
    used += 1;
  }
  return out.includes("\x1b[") ? out + RESET : out;
}

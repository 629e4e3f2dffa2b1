/**
 * WALT's `format_paragraph` (common/walt/common/formatting.py): a titled section as printed by
 * `walt node show`, `walt image show`, `walt device show`...
 */

const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/**
 * `\n` + bold title + `\n` + reset + `\n` + content + `\n\n`, then the footnote followed by `\n\n` when it is
 * not empty (an empty footnote is omitted, like Python's falsy check).
 */
export function formatParagraph(title: string, content: string, footnote?: string): string {
  const foot = footnote === undefined || footnote === "" ? "" : `${footnote}\n\n`;
  return `\n${BOLD}${title}\n${RESET}\n${content}\n\n${foot}`;
}

/**
 * Split the command line typed so far into words, the way the shell will pass them to `walt`: blanks
 * separate words, single quotes are literal, double quotes honour `\` before `\ " $ \``, and a backslash
 * outside quotes escapes the next character. The last word is the one being completed (empty after a blank).
 *
 * Bash gives completion functions its own split (COMP_WORDS), cut at `:` and `=` too; completing from the
 * raw line keeps `boot.delay=` and `cp1:cp2` whole, as WALT's `_init_completion -n :` did.
 */

export interface SplitLine {
  /** The complete words before the one being typed. */
  words: string[];
  /** The word being typed, unquoted. */
  partial: string;
}

export function splitShellLine(line: string): SplitLine {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < line.length && '\\"$`'.includes(line[i + 1] ?? "")) cur += line[++i] ?? "";
      else cur += c;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === "\\") {
      if (i + 1 < line.length) cur += line[++i] ?? "";
    } else cur += c;
  }
  return { words, partial: inWord ? cur : "" };
}

/**
 * Bash replaces only its own current word (`$cur`, cut after the last `:` or `=`), so the candidates for the
 * whole `partial` lose the part of `partial` before `cur`. Candidates are kept whole when `cur` is not a
 * suffix of `partial` (quoting the split could not follow).
 */
export function trimForBash(candidates: readonly string[], partial: string, cur: string): string[] {
  if (!partial.endsWith(cur)) return [...candidates];
  const head = partial.slice(0, partial.length - cur.length);
  return candidates.filter((c) => c.startsWith(head)).map((c) => c.slice(head.length));
}

/**
 * POSIX extended regular expressions (ERE), as used by `walt log show|wait` for stream and line filters
 * (unanchored search), translated to JS RegExps with the `v` and `s` flags.
 *
 * Only match existence matters for filtering, so POSIX leftmost-longest vs JS leftmost-first is irrelevant.
 * Accepted: `.` (matches newlines too, as with regexec without REG_NEWLINE), `^` `$` anchors anywhere,
 * bracket expressions, groups (empty ones too), alternation (empty branches too), `* + ? {m} {m,} {m,n} {,n}`
 * (counts up to 255), a lazy `?` after a quantifier, `\` + non-alphanumeric as a literal, and the GNU/Perl
 * shorthands `\d \D \s \S \w \W \b \B` (which WALT's Python pre-validation accepted).
 * Refused as invalid (like glibc, PostgreSQL and/or Python's re): a quantifier with nothing to repeat or
 * stacked quantifiers, a `{` that does not open a valid interval, unbalanced parentheses, unterminated or
 * malformed brackets, other backslash-letters/digits (no backreferences), a trailing backslash.
 */
import { WaltError } from "../errors.ts";
import { EreSyntaxError, escapeCodePoint, parseBracket } from "./ere-bracket.ts";

const DUP_MAX = 255;
const WORD = "[\\p{L}\\p{N}_]";
const SHORTHANDS: Readonly<Record<string, string>> = {
  d: "\\p{Nd}",
  D: "\\P{Nd}",
  s: "\\s",
  S: "\\S",
  w: WORD,
  W: "[^\\p{L}\\p{N}_]",
  b: `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`,
  B: `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`,
};

class Parser {
  private i = 0;
  constructor(private readonly chars: readonly string[]) {}

  /** regex := branch ('|' branch)* ; returns the JS source. */
  parse(): string {
    const out = this.alternation();
    if (this.i < this.chars.length) throw new EreSyntaxError("unmatched )");
    return out;
  }

  private alternation(): string {
    const branches = [this.branch()];
    while (this.chars[this.i] === "|") {
      this.i++;
      branches.push(this.branch());
    }
    return branches.join("|");
  }

  private branch(): string {
    let out = "";
    for (;;) {
      const c = this.chars[this.i];
      if (c === undefined || c === "|" || c === ")") return out;
      const [atom, quantifiable] = this.atom();
      out += atom + this.quantifier(quantifiable);
    }
  }

  /** One atom, and whether a quantifier may follow it. */
  private atom(): [string, boolean] {
    const c = this.chars[this.i++] ?? "";
    switch (c) {
      case "(": {
        const inner = this.alternation();
        if (this.chars[this.i++] !== ")") throw new EreSyntaxError("unmatched (");
        return [`(?:${inner})`, true];
      }
      case "*": case "+": case "?": case "{":
        throw new EreSyntaxError("nothing to repeat");
      case "^": case "$":
        return [c, false];
      case ".":
        return [".", true];
      case "[": {
        const { js, end } = parseBracket(this.chars, this.i - 1);
        this.i = end;
        return [js, true];
      }
      case "\\": {
        const e = this.chars[this.i++];
        if (e === undefined) throw new EreSyntaxError("trailing backslash");
        const shorthand = SHORTHANDS[e];
        if (shorthand !== undefined) return [shorthand, e !== "b" && e !== "B"];
        if (/^[A-Za-z0-9]$/.test(e)) throw new EreSyntaxError(`undefined escape \\${e}`);
        return [escapeCodePoint(e), true];
      }
      default:
        return [escapeCodePoint(c), true];
    }
  }

  private quantifier(quantifiable: boolean): string {
    const c = this.chars[this.i];
    let q: string;
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      q = c;
    } else if (c === "{") {
      q = this.interval();
    } else {
      return "";
    }
    if (!quantifiable) throw new EreSyntaxError("nothing to repeat");
    if (this.chars[this.i] === "?") {
      this.i++; // lazy quantifier: same matches for a search
      q += "?";
    }
    const next = this.chars[this.i];
    if (next === "*" || next === "+" || next === "?" || next === "{") throw new EreSyntaxError("multiple repeat");
    return q;
  }

  /** `{m}`, `{m,}`, `{m,n}` or `{,n}`, the `{` being at the current position. */
  private interval(): string {
    let j = this.i + 1;
    let body = "";
    while (j < this.chars.length && this.chars[j] !== "}") body += this.chars[j++];
    const m = /^(\d*)(,(\d*))?$/.exec(body);
    if (j >= this.chars.length || m === null || (m[1] === "" && (m[2] === undefined || m[3] === ""))) {
      throw new EreSyntaxError("invalid interval");
    }
    const min = m[1] === "" ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? undefined : Number(m[3]);
    if (min > DUP_MAX || (max !== undefined && (max > DUP_MAX || max < min))) throw new EreSyntaxError("invalid repetition count");
    this.i = j + 1;
    return max === min ? `{${min}}` : `{${min},${max ?? ""}}`;
  }
}

/** The JS source of a POSIX ERE (for the `sv` flags), or an EreSyntaxError. */
function translate(re: string): string {
  return new Parser([...re]).parse();
}

/**
 * Compile a POSIX ERE for unanchored matching (`regexp.test(line)`).
 * Throws WaltError USAGE `Invalid regular expression: <re>.` when it is invalid.
 */
export function compileEre(re: string): RegExp {
  try {
    return new RegExp(translate(re), "sv");
  } catch (e) {
    throw new WaltError("USAGE", `Invalid regular expression: ${re}.`, { cause: e });
  }
}

/** Whether `re` is a valid POSIX ERE (as accepted by {@link compileEre}). */
export function isValidEre(re: string): boolean {
  try {
    compileEre(re);
    return true;
  } catch {
    return false;
  }
}

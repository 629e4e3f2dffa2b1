/**
 * POSIX bracket expressions (`[a-z]`, `[^]x]`, `[[:alpha:]]`, `[[=e=]]`, `[[.-.]]`) translated to a JS class
 * for the `v` (unicodeSets) flag. Part of the ERE translator (ere.ts).
 * Classes are Unicode-aware, as they are in glibc and PostgreSQL with a UTF-8 locale.
 */

/** JS class bodies (for the `v` flag) of the POSIX character classes. */
const CLASSES: Readonly<Record<string, string>> = {
  alpha: "\\p{Alphabetic}",
  digit: "[0-9]",
  alnum: "[\\p{Alphabetic}0-9]",
  upper: "\\p{Uppercase}",
  lower: "\\p{Lowercase}",
  space: "\\s",
  blank: "[\\t\\p{Zs}]",
  cntrl: "\\p{Cc}",
  punct: "[\\p{P}\\p{S}]",
  print: "[^\\p{C}]",
  graph: "[^\\p{C}\\s]",
  xdigit: "[0-9A-Fa-f]",
};

/** A literal code point, escaped so that it is safe anywhere in a `v`-flag pattern. */
export function escapeCodePoint(ch: string): string {
  return /^[A-Za-z0-9]$/.test(ch) ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/** Thrown (and turned into WALT's message by ere.ts) when the expression is invalid. */
export class EreSyntaxError extends Error {}

type Element = { kind: "char"; ch: string } | { kind: "class"; js: string };

/**
 * Parse the bracket expression starting at `chars[start]` (the `[`).
 * Returns the JS class and the index just after the closing `]`.
 */
export function parseBracket(chars: readonly string[], start: number): { js: string; end: number } {
  let i = start + 1;
  const negate = chars[i] === "^";
  if (negate) i++;
  const items: string[] = [];
  let first = true;
  for (;;) {
    const c = chars[i];
    if (c === undefined) throw new EreSyntaxError("unterminated bracket expression");
    if (c === "]" && !first) return { js: `[${negate ? "^" : ""}${items.join("")}]`, end: i + 1 };
    const [lo, afterLo] = element(chars, i);
    i = afterLo;
    // `-` starts a range unless it is the last character before `]`
    if (chars[i] === "-" && chars[i + 1] !== "]" && chars[i + 1] !== undefined) {
      const [hi, afterHi] = element(chars, i + 1);
      if (lo.kind !== "char" || hi.kind !== "char") throw new EreSyntaxError("invalid range endpoint");
      if ((lo.ch.codePointAt(0) ?? 0) > (hi.ch.codePointAt(0) ?? 0)) throw new EreSyntaxError("invalid range end");
      items.push(`${escapeCodePoint(lo.ch)}-${escapeCodePoint(hi.ch)}`);
      i = afterHi;
      // `a-c-e` is undefined by POSIX and refused by glibc
      if (chars[i] === "-" && chars[i + 1] !== "]") throw new EreSyntaxError("invalid range");
    } else {
      items.push(lo.kind === "char" ? escapeCodePoint(lo.ch) : lo.js);
    }
    first = false;
  }
}

/** One element of a bracket expression: a character, `[:class:]`, `[=c=]` or `[.c.]`. */
function element(chars: readonly string[], i: number): [Element, number] {
  const c = chars[i];
  if (c === undefined) throw new EreSyntaxError("unterminated bracket expression");
  const delim = chars[i + 1];
  if (c !== "[" || (delim !== ":" && delim !== "=" && delim !== ".")) return [{ kind: "char", ch: c }, i + 1];
  // find the closing `<delim>]`
  let j = i + 2;
  while (j < chars.length && !(chars[j] === delim && chars[j + 1] === "]")) j++;
  if (j >= chars.length) throw new EreSyntaxError("unterminated bracket element");
  const name = chars.slice(i + 2, j).join("");
  const end = j + 2;
  if (delim === ":") {
    const js = CLASSES[name];
    if (js === undefined) throw new EreSyntaxError(`invalid character class ${name}`);
    return [{ kind: "class", js }, end];
  }
  // equivalence classes and collating symbols: single characters only (C collation)
  const inner = chars.slice(i + 2, j);
  if (inner.length !== 1 || inner[0] === undefined) throw new EreSyntaxError(`invalid collating element ${name}`);
  return [{ kind: "char", ch: inner[0] }, end];
}

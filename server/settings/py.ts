/**
 * The few Python behaviours WALT's setting checks rely on, so that the same values are accepted.
 *
 * - `int(s)`: surrounding Unicode whitespace, a sign, any Unicode decimal digits, single `_` between digits.
 * - `re.match("^...$")`: `\d` is any Unicode decimal digit and `$` also matches before a final "\n";
 *   the regular expressions of this folder therefore use `\p{Nd}` and end with `\n?$`.
 */

// characters for which Python's str.isspace() is true (int() strips them)
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_INT = new RegExp(`^[${PY_SPACE}]*([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)[${PY_SPACE}]*$`, "u");
const DIGIT = /^\p{Nd}$/u;

/** Value of a Unicode decimal digit: Unicode allocates them in contiguous runs of ten, 0 to 9. */
function digitValue(cp: number): number {
  let run = 0;
  while (DIGIT.test(String.fromCodePoint(cp - run))) run++;
  return (run - 1) % 10;
}

/** Python's `int(s)` for a string in base 10, or null where Python raises ValueError. */
export function pyInt(s: string): number | null {
  const m = PY_INT.exec(s);
  if (m === null) return null;
  let digits = "";
  for (const ch of (m[2] ?? "").replaceAll("_", "")) digits += String(digitValue(ch.codePointAt(0) ?? 0));
  const n = Number(BigInt(digits));
  return m[1] === "-" ? (n === 0 ? 0 : -n) : n;
}

/** WALT's `positive_int`: `int(s) >= 0` without raising. */
export function isNonNegativeInt(s: string): boolean {
  const n = pyInt(s);
  return n !== null && n >= 0;
}

/** Python's `str()` of a stored value (None, True/False, numbers, strings). */
export function pyStr(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}

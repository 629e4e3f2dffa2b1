/**
 * WALT's `format_sentence` (common/walt/common/formatting.py): one sentence about a list of items
 * (nodes, devices, registries...), conjugated for singular or plural.
 *
 * The template contains one `%s` (where the items go) and `word(plural)` patterns (`is(are)`, `a()`).
 * Rendering happens in two passes, exactly like the Python code:
 *  1. `%s` is replaced by the designation (`Node %s`, `Nodes %s and %s`, `6 nodes`, or the "none" label),
 *     then the whole sentence goes through Python's `str.capitalize()`;
 *  2. the item names are substituted, so they keep their case.
 * Hence `Node vn1: rebooted ok.` from `"%s: rebooted OK."` (the `OK` is lower-cased by capitalize()).
 */

/** Options of {@link formatSentence}. */
export interface SentenceOptions {
  /** Designation used when `items` is empty (WALT's `label_none`); undefined renders Python's `None`. */
  none?: string | undefined;
  /** Word joining the last two items: `and` (default) or `or`. */
  listType?: string;
  /** Past this many items, they are summarised as `N <labels>` (WALT's MAX_PRINTED_NODES = 5). */
  maxItems?: number;
}

const MAX_PRINTED_ITEMS = 5;
// Python's `\b(\w*)\(([^)]*)\)` with a Unicode `\w`: a word directly followed by a parenthesised alternative.
const CONJUGATE = /(?<![\p{L}\p{N}_])([\p{L}\p{N}_]+)\(([^)]*)\)/gu;

/** Python's `str(None)`, used where WALT formats a None label with `%s`. */
const pyStr = (s: string | undefined): string => s ?? "None";

/** Code point order, as Python's `sorted()` on strings. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done === true || cb.done === true) return (ca.done === true ? 0 : 1) - (cb.done === true ? 0 : 1);
    const d = (ca.value.codePointAt(0) ?? 0) - (cb.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

// Title-case forms that differ from the upper-case one (Python capitalize() uses the title case).
const TITLE_CASE: Readonly<Record<string, string>> = {
  "\u01c4": "\u01c5", "\u01c5": "\u01c5", "\u01c6": "\u01c5",
  "\u01c7": "\u01c8", "\u01c8": "\u01c8", "\u01c9": "\u01c8",
  "\u01ca": "\u01cb", "\u01cb": "\u01cb", "\u01cc": "\u01cb",
  "\u01f1": "\u01f2", "\u01f2": "\u01f2", "\u01f3": "\u01f2",
};

/** Python's `str.capitalize()`: first character title-cased, every other character lower-cased. */
export function pyCapitalize(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const head = String.fromCodePoint(first);
  let title = TITLE_CASE[head];
  if (title === undefined) {
    // upper-casing may expand (ß -> SS); the title case keeps only the first letter upper (Ss)
    const upper = [...head.toUpperCase()];
    title = (upper[0] ?? head) + upper.slice(1).join("").toLowerCase();
  }
  // lower-case the rest in context (final sigma depends on the preceding letters)
  const rest = s.toLowerCase().slice(head.toLowerCase().length);
  return title + rest;
}

/**
 * Python's `fmt % args` restricted to `%s` and `%%` (all WALT sentences use only those).
 * Throws like Python when the number of `%s` and of arguments differ.
 */
export function pyPercentFormat(fmt: string, args: readonly string[]): string {
  let i = 0;
  const out = fmt.replace(/%(.?)/gsu, (_m, c: string) => {
    if (c === "%") return "%";
    if (c !== "s") throw new TypeError(`unsupported format character '${c}' in ${JSON.stringify(fmt)}`);
    const arg = args[i++];
    if (arg === undefined) throw new TypeError("not enough arguments for format string");
    return arg;
  });
  if (i !== args.length) throw new TypeError("not all arguments converted during string formatting");
  return out;
}

/**
 * Render a WALT sentence about `items`.
 *
 * Example: `formatSentence("Warning: %s seems(seem) to be used by another(other) user(users).", ["X", "Y"], "Node", "Nodes")`
 * gives `Warning: nodes X and Y seem to be used by other users.`
 * Items are sorted (code point order). Like Python, an undefined singular (resp. plural) label is an error when
 * exactly one (resp. 2 to maxItems) item is given, and renders `None` in the `N <labels>` summary.
 */
export function formatSentence(
  template: string,
  items: readonly string[],
  labelSingular: string | undefined,
  labelPlural: string | undefined,
  options: SentenceOptions = {},
): string {
  const maxItems = options.maxItems ?? MAX_PRINTED_ITEMS;
  const listType = options.listType ?? "and";
  const n = items.length;
  const sentence = template.replace(CONJUGATE, (_m, singular: string, plural: string) => (n === 1 ? singular : plural));
  const sorted = [...items].sort(compareCodePoints);
  let designation: string;
  let names: string[];
  if (n > maxItems) {
    designation = `${n} ${pyStr(labelPlural)}`;
    names = [];
  } else if (n === 0) {
    designation = pyStr(options.none);
    names = [];
  } else if (n > 1) {
    if (labelPlural === undefined) throw new TypeError("formatSentence: a plural label is required");
    designation = `${labelPlural} %s ${listType} %s`;
    names = [sorted.slice(0, -1).join(", "), sorted[n - 1] ?? ""];
  } else {
    if (labelSingular === undefined) throw new TypeError("formatSentence: a singular label is required");
    designation = `${labelSingular} %s`;
    names = [sorted[0] ?? ""];
  }
  return pyPercentFormat(pyCapitalize(pyPercentFormat(sentence, [designation])), names);
}

/** WALT's `format_sentence_about_nodes`: labels `No nodes` / `Node` / `Nodes`. */
export function formatSentenceAboutNodes(template: string, nodes: readonly string[]): string {
  return formatSentence(template, nodes, "Node", "Nodes", { none: "No nodes" });
}

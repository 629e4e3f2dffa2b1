/**
 * The few Python behaviours the WALT web API exposes in its replies and error messages: `json.loads`
 * (which also accepts NaN/Infinity), `float(x)`, `bool(x)`, `str(x)` of a decoded value, and
 * `json.dumps` (`", "`/`": "` separators, non-ASCII escaped).
 */

/** A value `json.loads` can return. */
export type PyValue = null | boolean | number | string | PyValue[] | { [k: string]: PyValue };

const PY_SPECIALS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** Python's json.loads; undefined when the text is not JSON. */
export function pyJsonLoads(text: string): PyValue | undefined {
  const special = PY_SPECIALS[text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "")];
  if (special !== undefined) return special;
  try {
    return JSON.parse(text) as PyValue;
  } catch {
    return undefined;
  }
}

// float("…") accepts underscores between digits, surrounding whitespace, inf/infinity/nan in any case.
const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_TEXT = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const FLOAT_WORD = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's float(v) for a decoded JSON value; undefined when Python raises. */
export function pyFloat(v: PyValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (FLOAT_TEXT.test(s)) return Number(s.replaceAll("_", ""));
  const w = FLOAT_WORD.exec(s);
  if (!w) return undefined;
  if (w[2]?.toLowerCase() === "nan") return NaN;
  return w[1] === "-" ? -Infinity : Infinity;
}

/** Python's truthiness (bool(v)). */
export function pyBool(v: PyValue): boolean {
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's repr of a number decoded by json.loads (integers print without `.0`: JSON.parse loses the difference). */
function pyNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return String(n).replace(/e([+-])(\d)$/, "e$10$2");
}

function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === q) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return q + out + q;
}

/** Python's repr(v). */
export function pyRepr(v: PyValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return pyNumber(v);
  if (typeof v === "string") return pyStrRepr(v);
  if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
  return "{" + Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(", ") + "}";
}

/** Python's str(v): strings as they are, anything else as repr. */
export const pyStr = (v: PyValue): string => (typeof v === "string" ? v : pyRepr(v));

/** A JSON string literal as Python's json.dumps writes it (ensure_ascii: everything outside ' '..'~' escaped). */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * Pieces of Python's `str.format` used by log formatting: `repr()` / `ascii()` of strings and naive datetimes,
 * `str()` of a datetime, and the format-spec mini-language applied to a string (`{line:>20.10}`).
 * Functions throw a plain Error carrying Python's message when Python would raise.
 */
import type { WallTime } from "./local-time.ts";

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** Python's `str(datetime)`: `YYYY-MM-DD hh:mm:ss`, plus `.ffffff` when microseconds are not zero. */
export function pyDatetimeStr(w: WallTime): string {
  const base = `${String(w.year).padStart(4, "0")}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
  return w.microsecond === 0 ? base : `${base}.${String(w.microsecond).padStart(6, "0")}`;
}

/** Python's `repr(datetime)`: `datetime.datetime(2024, 1, 2, 3, 4, 5, 6)`, trailing zero fields dropped. */
export function pyDatetimeRepr(w: WallTime): string {
  const fields = [w.year, w.month, w.day, w.hour, w.minute, w.second, w.microsecond];
  if (fields[fields.length - 1] === 0) fields.pop();
  if (fields[fields.length - 1] === 0) fields.pop();
  return `datetime.datetime(${fields.join(", ")})`;
}

// Python's str.isprintable() is false for these categories (except the plain space).
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hexEscape(cp: number): string {
  const hex = cp.toString(16);
  if (cp < 0x100) return `\\x${hex.padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/** Python's `repr(str)` (or `ascii(str)` when `asciiOnly`). */
export function pyStrRepr(s: string, asciiOnly = false): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += hexEscape(cp);
    else if (cp < 0x7f) out += ch;
    else if (asciiOnly || (ch !== " " && NON_PRINTABLE.test(ch))) out += hexEscape(cp);
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's `format(s, spec)` for a string: `[[fill]align][0][width][.precision][s]`; everything that Python
 * rejects for a string (sign, `#`, `=`, grouping, other types) throws.
 */
export function applyStrSpec(s: string, spec: string): string {
  if (spec === "") return s;
  const chars = [...spec];
  let i = 0;
  let fill: string | undefined;
  let align: string | undefined;
  if (chars.length > 1 && "<>=^".includes(chars[1] ?? "")) {
    fill = chars[0];
    align = chars[1];
    i = 2;
  } else if ("<>=^".includes(chars[0] ?? "")) {
    align = chars[0];
    i = 1;
  }
  const at = (): string => chars[i] ?? "";
  if ("+- ".includes(at()) && at() !== "") throw new Error("Sign not allowed in string format specifier");
  if (at() === "z") throw new Error("Negative zero coercion (z) not allowed in string format specifier");
  if (at() === "#") throw new Error("Alternate form (#) not allowed in string format specifier");
  if (at() === "0") {
    fill ??= "0";
    i++;
  }
  let width = "";
  while (/[0-9]/.test(at())) width += chars[i++];
  if (at() === "," || at() === "_") throw new Error(`Cannot specify '${at()}' with 's'.`);
  let precision: number | undefined;
  if (at() === ".") {
    i++;
    let digits = "";
    while (/[0-9]/.test(at())) digits += chars[i++];
    if (digits === "") throw new Error("Format specifier missing precision");
    precision = Number(digits);
  }
  const rest = chars.slice(i).join("");
  if (rest.length > 1) throw new Error(`Invalid format specifier '${spec}' for object of type 'str'`);
  if (rest !== "" && rest !== "s") throw new Error(`Unknown format code '${rest}' for object of type 'str'`);
  if (align === "=") throw new Error("'=' alignment not allowed in string format specifier");
  let value = [...s];
  if (precision !== undefined) value = value.slice(0, precision);
  const missing = Math.max(0, Number(width === "" ? 0 : width) - value.length);
  const f = fill ?? " ";
  const text = value.join("");
  if (align === ">") return f.repeat(missing) + text;
  if (align === "^") return f.repeat(Math.floor(missing / 2)) + text + f.repeat(missing - Math.floor(missing / 2));
  return text + f.repeat(missing);
}

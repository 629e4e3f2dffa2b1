/**
 * Python's `datetime.strftime()` on a naive datetime, as run by WALT's client on Linux: Python first replaces
 * `%f` (microseconds), `%z` and `%Z` (empty for a naive datetime), then glibc's strftime renders the rest in the
 * C locale, including GNU flags (`%-d`, `%_H`, `%^a`, `%#p`), field widths (`%10Y`) and `%s` (POSIX seconds).
 * Unknown directives are copied literally, as glibc does.
 */
import type { WallTime } from "./local-time.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Python's handling of `%f`, `%z`, `%Z` (pairs are scanned so that `%%f` stays for glibc as `%%` + `f`). */
function pythonPass(fmt: string, w: WallTime): string {
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== "%" || i + 1 >= fmt.length) {
      out += ch;
      continue;
    }
    const next = fmt[++i] ?? "";
    if (next === "f") out += String(w.microsecond).padStart(6, "0");
    else if (next !== "z" && next !== "Z") out += `%${next}`;
  }
  return out;
}

/** ISO 8601 week-based year and week number. */
function isoWeek(w: WallTime): [number, number] {
  const isoDay = (w.weekday + 6) % 7; // Monday = 0
  const week = Math.floor((w.yearDay - isoDay + 10) / 7);
  const daysIn = (y: number): number => (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);
  if (week < 1) {
    const prevYearDay = w.yearDay + daysIn(w.year - 1);
    return [w.year - 1, Math.floor((prevYearDay - isoDay + 10) / 7)];
  }
  if (week === 53 && w.yearDay - isoDay + 3 >= daysIn(w.year)) return [w.year + 1, 1];
  return [w.year, week];
}

type Spec = { num: number; digits: number; pad: "0" | " " } | { text: string; kind?: "name" | "ampm" | "zone" };

function directive(c: string, w: WallTime, epochSeconds: number): Spec | undefined {
  const hour12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const sub = (f: string): Spec => ({ text: glibcStrftime(f, w, epochSeconds) });
  const n = (num: number, digits = 2, pad: "0" | " " = "0"): Spec => ({ num, digits, pad });
  const name = (s: string): Spec => ({ text: s, kind: "name" });
  switch (c) {
    case "a": return name(DAYS[w.weekday]?.slice(0, 3) ?? "");
    case "A": return name(DAYS[w.weekday] ?? "");
    case "b": case "h": return name(MONTHS[w.month - 1]?.slice(0, 3) ?? "");
    case "B": return name(MONTHS[w.month - 1] ?? "");
    case "c": return sub("%a %b %e %H:%M:%S %Y");
    case "C": return n(Math.floor(w.year / 100), 1); // glibc does not pad "year-ish" numbers
    case "d": return n(w.day);
    case "D": case "x": return sub("%m/%d/%y");
    case "e": return n(w.day, 2, " ");
    case "F": return sub("%Y-%m-%d");
    case "g": return n(((isoWeek(w)[0] % 100) + 100) % 100);
    case "G": return n(isoWeek(w)[0], 1);
    case "H": return n(w.hour);
    case "I": return n(hour12);
    case "j": return n(w.yearDay + 1, 3);
    case "k": return n(w.hour, 2, " ");
    case "l": return n(hour12, 2, " ");
    case "m": return n(w.month);
    case "M": return n(w.minute);
    case "n": return { text: "\n" };
    case "p": return { text: w.hour < 12 ? "AM" : "PM", kind: "ampm" };
    case "P": return { text: w.hour < 12 ? "am" : "pm" };
    case "r": return sub("%I:%M:%S %p");
    case "R": return sub("%H:%M");
    case "s": return n(epochSeconds, 1);
    case "S": return n(w.second);
    case "t": return { text: "\t" };
    case "T": case "X": return sub("%H:%M:%S");
    case "u": return n(w.weekday === 0 ? 7 : w.weekday, 1);
    case "U": return n(Math.floor((w.yearDay + 7 - w.weekday) / 7));
    case "V": return n(isoWeek(w)[1]);
    case "w": return n(w.weekday, 1);
    case "W": return n(Math.floor((w.yearDay + 7 - ((w.weekday + 6) % 7)) / 7));
    case "y": return n(((w.year % 100) + 100) % 100);
    case "Y": return n(w.year, 1);
    case "z": case "Z": return { text: "", kind: "zone" }; // naive datetime: no zone
    case "%": return { text: "%" };
    default: return undefined;
  }
}

function render(spec: Spec, flags: string, width: number): string {
  const upper = flags.includes("^");
  const swap = flags.includes("#");
  if ("num" in spec) {
    let pad: string | undefined = spec.pad;
    if (flags.includes("-")) pad = width > 0 ? " " : undefined;
    else if (flags.includes("_")) pad = " ";
    else if (flags.includes("0")) pad = "0";
    const digits = String(Math.abs(spec.num));
    const sign = spec.num < 0 ? "-" : "";
    if (pad === undefined) return sign + digits;
    const target = Math.max(width, spec.digits) - sign.length;
    return pad === "0" ? sign + digits.padStart(target, "0") : (sign + digits).padStart(target + sign.length, " ");
  }
  let text = spec.text;
  if (upper || (swap && spec.kind === "name")) text = text.toUpperCase();
  else if (swap && (spec.kind === "ampm" || spec.kind === "zone")) text = text.toLowerCase();
  return text.padStart(width, flags.includes("0") && !flags.includes("-") ? "0" : " ");
}

/** glibc's strftime in the C locale (the second pass of Python's strftime). */
function glibcStrftime(fmt: string, w: WallTime, epochSeconds: number): string {
  return fmt.replace(/%([_\-0^#]*)(\d*)([EO]?)(.?)/gsu, (whole, flags: string, width: string, _mod: string, c: string) => {
    const spec = c === "" ? undefined : directive(c, w, epochSeconds);
    return spec === undefined ? whole : render(spec, flags, width === "" ? 0 : Number(width));
  });
}

/**
 * Python's `naive_datetime.strftime(fmt)` on Linux.
 * @param w the wall-clock time; @param epochUs the same instant in microseconds, for `%s`.
 */
export function pyStrftime(fmt: string, w: WallTime, epochUs: number): string {
  return glibcStrftime(pythonPass(fmt, w), w, Math.floor(epochUs / 1e6));
}

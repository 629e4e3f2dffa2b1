/**
 * Wall-clock time in a time zone, the way Python's naive `datetime.fromtimestamp()` / `datetime.timestamp()`
 * see it. The zone is a function (never global state), so callers and tests can render in any zone;
 * the default is the process' local zone.
 */

/** Offset of the zone from UTC, in minutes east, at the instant `epochMs`. */
export type UtcOffset = (epochMs: number) => number;

/** The process' local time zone. */
export const localUtcOffset: UtcOffset = (epochMs) => {
  const off = -new Date(epochMs).getTimezoneOffset();
  return off === 0 ? 0 : off; // avoid -0
};

/** A zone with a constant offset (minutes east of UTC). */
export function fixedUtcOffset(minutes: number): UtcOffset {
  return () => minutes;
}

/** Broken-down wall-clock time (a Python naive datetime plus the derived calendar fields). */
export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** 0 = Sunday .. 6 = Saturday (C `tm_wday`). */
  weekday: number;
  /** 0..365 (C `tm_yday`). */
  yearDay: number;
}

const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** The wall-clock time of the instant `us` (integer microseconds since the epoch) in the given zone. */
export function toWallTime(us: number, offset: UtcOffset = localUtcOffset): WallTime {
  const seconds = Math.floor(us / 1e6);
  const localSeconds = seconds + offset(seconds * 1000) * 60;
  const d = new Date(localSeconds * 1000);
  const year = d.getUTCFullYear();
  const startOfYear = new Date(0).setUTCFullYear(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: mod(us, 1e6),
    weekday: d.getUTCDay(),
    yearDay: Math.floor((localSeconds * 1000 - startOfYear) / 86_400_000),
  };
}

/** Calendar fields of a wall-clock time to convert back to an instant. */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Seconds since the epoch of a wall-clock time, like Python's naive `datetime.timestamp()` (fold=0):
 * an ambiguous time (DST end) gives the earlier instant, a time in a DST gap is shifted like Python does.
 */
export function wallToEpochSeconds(w: WallFields, offset: UtcOffset = localUtcOffset): number {
  const date = new Date(0);
  date.setUTCFullYear(w.year, w.month - 1, w.day);
  date.setUTCHours(w.hour, w.minute, w.second, 0);
  const t = date.getTime() / 1000;
  const local = (u: number): number => u + offset(u * 1000) * 60;
  // CPython's local_to_seconds(): solve t = local(u) for u
  const a = local(t) - t;
  const u1 = t - a;
  const t1 = local(u1);
  let b: number;
  if (t1 === t) {
    const u2 = u1 - 86_400;
    b = local(u2) - u2;
    if (a === b) return u1;
  } else {
    b = t1 - u1;
  }
  const u2 = t - b;
  if (local(u2) === t) return u2;
  if (t1 === t) return u1;
  return Math.max(u1, u2);
}

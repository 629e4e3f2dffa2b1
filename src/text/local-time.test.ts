import { describe, expect, test } from "bun:test";
import { fixedUtcOffset, localUtcOffset, toWallTime, wallToEpochSeconds, type UtcOffset } from "./local-time.ts";

// A zone with a DST-like jump: UTC+1 before 1_000_000_000 s, UTC+2 from then on.
const JUMP_S = 1_000_000_000;
const jumping: UtcOffset = (ms) => (ms < JUMP_S * 1000 ? 60 : 120);

describe("toWallTime", () => {
  test("breaks an instant down in the given zone", () => {
    expect(toWallTime(1_700_000_000_123_456, fixedUtcOffset(60))).toEqual({
      year: 2023, month: 11, day: 14, hour: 23, minute: 13, second: 20, microsecond: 123_456, weekday: 2, yearDay: 317,
    });
  });

  test("floors negative instants to the previous second", () => {
    const w = toWallTime(-1, fixedUtcOffset(0));
    expect([w.year, w.month, w.day, w.hour, w.minute, w.second, w.microsecond]).toEqual([1969, 12, 31, 23, 59, 59, 999_999]);
  });

  test("uses the process' zone by default", () => {
    const d = new Date(1_234_567_890_000);
    expect(toWallTime(1_234_567_890_000_000).hour).toBe(d.getHours());
    expect(localUtcOffset(0)).toBe(-new Date(0).getTimezoneOffset() || 0);
  });
});

describe("wallToEpochSeconds", () => {
  test("inverts toWallTime in a fixed zone", () => {
    const w = toWallTime(1_700_000_000_000_000, fixedUtcOffset(-300));
    expect(wallToEpochSeconds(w, fixedUtcOffset(-300))).toBe(1_700_000_000);
  });

  test("matches the Date constructor in the process' zone", () => {
    expect(wallToEpochSeconds({ year: 2015, month: 9, day: 28, hour: 15, minute: 16, second: 39 })).toBe(
      new Date(2015, 8, 28, 15, 16, 39).getTime() / 1000,
    );
  });

  test("resolves a wall time inside a forward jump like Python (fold=0)", () => {
    // 1_000_000_000 s is 2001-09-09 01:46:40 UTC: wall 02:46:40 jumps to 03:46:40; 03:00:00 does not exist
    const w = { year: 2001, month: 9, day: 9, hour: 3, minute: 0, second: 0 };
    expect(wallToEpochSeconds(w, jumping)).toBe(Date.UTC(2001, 8, 9, 2, 0, 0) / 1000);
  });

  test("gives the instant of a wall time just after the jump", () => {
    const w = { year: 2001, month: 9, day: 9, hour: 4, minute: 0, second: 0 };
    expect(wallToEpochSeconds(w, jumping)).toBe(Date.UTC(2001, 8, 9, 2, 0, 0) / 1000);
  });
});

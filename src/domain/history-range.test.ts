import { describe, expect, test } from "bun:test";
import { WaltError } from "../errors.ts";
import { fixedUtcOffset } from "../text/local-time.ts";
import {
  HISTORY_START_AFTER_END,
  INVALID_DATE,
  INVALID_HISTORY_RANGE,
  INVALID_RELATIVE_DATE,
  parseCheckpointDate,
  parseHistoryRange,
  relativeDateUs,
  type HistoryRangeContext,
} from "./history-range.ts";

const NOW = 1_700_000_000_000_000;
const S = 1_000_000;
const CHECKPOINTS: Record<string, number> = { cp1: NOW - 100 * S, cp2: NOW - 50 * S };
const ctx: HistoryRangeContext = { nowUs: NOW, checkpointTimeUs: (name) => Promise.resolve(CHECKPOINTS[name]) };

async function errorOf(p: Promise<unknown>): Promise<WaltError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WaltError) return e;
    throw e;
  }
  throw new Error("expected a WaltError");
}

describe("parseHistoryRange", () => {
  test.each([
    ["none", null],
    ["NONE", null],
    ["full", { start: null, end: null }],
    ["Full", { start: null, end: null }],
    [":", { start: null, end: null }],
    ["-5m:", { start: NOW - 300 * S, end: null }],
    [":-1h", { start: null, end: NOW - 3600 * S }],
    ["-2d:-1d", { start: NOW - 2 * 86400 * S, end: NOW - 86400 * S }],
    ["cp1:cp2", { start: NOW - 100 * S, end: NOW - 50 * S }],
    ["cp1:", { start: NOW - 100 * S, end: null }],
    ["-1_0s:", { start: NOW - 10 * S, end: null }],
    ["- 10s:", { start: NOW - 10 * S, end: null }],
    ["--10s:", { start: NOW + 10 * S, end: null }],
    ["cp1:cp1", { start: NOW - 100 * S, end: NOW - 100 * S }],
  ])("resolves %p", async (spec, expected) => {
    expect(await parseHistoryRange(spec, ctx)).toEqual(expected);
  });

  test.each(["", "x", "a:b:c", "cp_1:", "a:", "a b:", "-5m"])("refuses the malformed range %p", async (spec) => {
    const e = await errorOf(parseHistoryRange(spec, ctx));
    expect(e.code).toBe("USAGE");
    expect(e.message).toBe(INVALID_HISTORY_RANGE);
  });

  test("the generic message is WALT's text", () => {
    expect(INVALID_HISTORY_RANGE).toBe("Invalid HISTORY_RANGE. See 'walt help show log-history' for more info.");
  });

  test("an unknown checkpoint gives the server's message then the generic one", async () => {
    const e = await errorOf(parseHistoryRange("nope:", ctx));
    expect(e.message).toBe("Failed: no checkpoint with this name 'nope'.\n" + INVALID_HISTORY_RANGE);
  });

  test("a start after the end gives WALT's two lines", async () => {
    const e = await errorOf(parseHistoryRange("cp2:cp1", ctx));
    expect(e.message).toBe(
      "Issue with the HISTORY_RANGE specified: the starting point is newer than the ending point.\n" + INVALID_HISTORY_RANGE,
    );
    expect(e.message.startsWith(HISTORY_START_AFTER_END)).toBe(true);
  });

  test.each(["-5x:", "-:", "-m:", ":-5", "-1.5h:"])("an invalid relative bound in %p gives the relative date message", async (spec) => {
    const e = await errorOf(parseHistoryRange(spec, ctx));
    expect(e.message).toBe("Invalid relative date. Should be: -<int>[dhms] (e.g. '-6h' for 'six hours ago')");
  });

  test("bounds are checked from left to right", async () => {
    expect((await errorOf(parseHistoryRange("a_b:-5x", ctx))).message).toBe(INVALID_HISTORY_RANGE);
  });

  test("a failing checkpoint lookup propagates its own error", async () => {
    const failing: HistoryRangeContext = { nowUs: NOW, checkpointTimeUs: () => Promise.reject(new Error("network down")) };
    let caught: unknown;
    try {
      await parseHistoryRange("cp1:", failing);
    } catch (e) {
      caught = e;
    }
    expect(caught).not.toBeInstanceOf(WaltError);
    expect((caught as Error).message).toBe("network down");
  });
});

describe("relativeDateUs", () => {
  test.each([
    ["-6h", NOW - 6 * 3600 * S],
    ["-0s", NOW],
    ["-+3m", NOW - 180 * S],
  ])("computes %p from the server time", (rel, expected) => {
    expect(relativeDateUs(rel, NOW)).toBe(expected);
  });
  test("refuses an unknown unit", () => {
    expect(() => relativeDateUs("-6w", NOW)).toThrow(INVALID_RELATIVE_DATE);
  });
});

describe("parseCheckpointDate", () => {
  const utc = fixedUtcOffset(0);
  test.each([
    ["2015-09-28 15:16:39", Date.UTC(2015, 8, 28, 15, 16, 39) * 1000],
    ["2015-9-8 5:6:7", Date.UTC(2015, 8, 8, 5, 6, 7) * 1000],
    ["2015-09- 8 15:16:39", Date.UTC(2015, 8, 8, 15, 16, 39) * 1000],
    ["2016-02-29  23:59:59", Date.UTC(2016, 1, 29, 23, 59, 59) * 1000],
    ["2015-09-28\t15:16:39", Date.UTC(2015, 8, 28, 15, 16, 39) * 1000],
  ])("parses %p in the given zone", (date, expected) => {
    expect(parseCheckpointDate(date, NOW, utc)).toBe(expected);
  });

  test("interprets the date in local time by default", () => {
    expect(parseCheckpointDate("2015-09-28 15:16:39", NOW)).toBe(new Date(2015, 8, 28, 15, 16, 39).getTime() * 1000);
  });

  test("applies the zone offset", () => {
    expect(parseCheckpointDate("2015-09-28 15:16:39", NOW, fixedUtcOffset(120))).toBe(Date.UTC(2015, 8, 28, 13, 16, 39) * 1000);
  });

  test("accepts a relative date", () => {
    expect(parseCheckpointDate("-1d", NOW)).toBe(NOW - 86400 * S);
  });

  test.each([
    "2015-09-28",
    "2015-09-28T15:16:39",
    "15-09-28 15:16:39",
    "2015-13-01 00:00:00",
    "2015-02-29 00:00:00",
    "2015-04-31 00:00:00",
    "0000-01-01 00:00:00",
    "2015-01-01 24:00:00",
    "2015-01-01 00:60:00",
    "2015-01-01 00:00:60",
    "2015-01-01 00:00:61",
    " 2015-01-01 00:00:00",
    "2015-01-01 00:00:00 ",
    "yesterday",
  ])("refuses %p with WALT's three lines", (date) => {
    expect(() => parseCheckpointDate(date, NOW)).toThrow(INVALID_DATE);
  });

  test("the message is WALT's text", () => {
    expect(INVALID_DATE).toBe(
      "Could not parse the date specified.\nExpected format is: <YYYY>-<MM>-<DD> <hh>:<mm>:<ss>\nExample: 2015-09-28 15:16:39",
    );
  });
});

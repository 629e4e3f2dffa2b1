import { describe, expect, test } from "bun:test";
import { WaltError } from "../errors.ts";
import { fixedUtcOffset } from "./local-time.ts";
import { compileLogFormat, DEFAULT_LOG_FORMAT, formatLocalDateTime, LOG_FORMAT_ERROR, type LogRecord } from "./log-format.ts";

// Expected strings were produced by Python's str.format on the same record, with TZ set to UTC+1.
const UTC_PLUS_1 = fixedUtcOffset(60);
const REC: LogRecord = { timestamp: 1_700_000_000_123_456, issuer: "rpi-sw1", stream: "walt-init", line: "Starting up." };

describe("compileLogFormat", () => {
  test.each([
    [DEFAULT_LOG_FORMAT, "23:13:20.123456 rpi-sw1.walt-init -> Starting up."],
    ["{timestamp:%s.%f} {line}", "1700000000.123456 Starting up."],
    ["{timestamp} {{x}} {issuer:>10}|{stream:.4}|{line!r}", "2023-11-14 23:13:20.123456 {x}    rpi-sw1|walt|'Starting up.'"],
    ["{timestamp!r:>45}", "datetime.datetime(2023, 11, 14, 23, 13, 20, 123456)"],
    ["{timestamp:%a %d %b %Y %j %-m}", "Tue 14 Nov 2023 318 11"],
    ["{line!a:^20}", "   'Starting up.'   "],
    ["plain text", "plain text"],
    ["{timestamp:}", "2023-11-14 23:13:20.123456"],
  ])("formats %p like Python", (fmt, expected) => {
    expect(compileLogFormat(fmt, UTC_PLUS_1)(REC)).toBe(expected);
  });

  test("omits the microseconds of a whole-second timestamp in str(datetime)", () => {
    expect(compileLogFormat("{timestamp}", UTC_PLUS_1)({ ...REC, timestamp: 1_700_000_000_000_000 })).toBe("2023-11-14 23:13:20");
  });

  test("renders in local time by default", () => {
    const d = new Date(1_700_000_000_123);
    const hh = String(d.getHours()).padStart(2, "0");
    expect(compileLogFormat("{timestamp:%H}")(REC)).toBe(hh);
  });

  test.each([
    ["{"],
    ["}"],
    ["{}"],
    ["{0}"],
    ["{line"],
    ["{line}}"],
    ["{line!}"],
    ["{line!x}"],
    ["{line!rx}"],
    ["{ line}"],
    ["{node}"],
    ["{line[0]}"],
    ["{timestamp.year}"],
    ["{line:{issuer}}"],
    ["{line:d}"],
    ["{line:+5}"],
    ["{timestamp!s:=5}"],
  ])("rejects the invalid format %p with WALT's message", (fmt) => {
    let error: unknown;
    try {
      compileLogFormat(fmt);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WaltError);
    expect((error as WaltError).code).toBe("USAGE");
    expect((error as WaltError).message).toBe(LOG_FORMAT_ERROR);
  });

  test("uses WALT's exact error text", () => {
    expect(LOG_FORMAT_ERROR).toBe("Could not display the log record.\nVerify your format string.");
  });
});

describe("formatLocalDateTime", () => {
  test.each([
    [0, 0, "1970-01-01 00:00:00"],
    [1_700_000_000_999_999, 60, "2023-11-14 23:13:20"],
    [1_700_000_000_000_000, -300, "2023-11-14 17:13:20"],
    [-1, 0, "1969-12-31 23:59:59"],
  ])("renders %p µs at offset %p min as %p", (us, offset, expected) => {
    expect(formatLocalDateTime(us, fixedUtcOffset(offset))).toBe(expected);
  });
});

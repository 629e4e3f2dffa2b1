import { describe, expect, test } from "bun:test";
import { fixedUtcOffset, toWallTime } from "./local-time.ts";
import { pyStrftime } from "./strftime.ts";

// Expected strings were produced by Python 3.11's datetime.strftime on glibc, TZ=UTC.
const at = (us: number) => (fmt: string) => pyStrftime(fmt, toWallTime(us, fixedUtcOffset(0)), us);

describe("pyStrftime", () => {
  const sunday = at(1_609_682_709_000_042); // 2021-01-03 14:05:09.000042, ISO week 53 of 2020
  const monday = at(1_735_517_220_000_000); // 2024-12-30 00:07:00, ISO week 1 of 2025
  const year999 = at(-30_636_619_200_000_000); // 0999-03-01 12:00:00
  test.each([
    [sunday, "%a %A %b %B %h", "Sun Sunday Jan January Jan"],
    [sunday, "%c", "Sun Jan  3 14:05:09 2021"],
    [sunday, "%C %y %Y %G %g %V %U %W %u %w %j", "20 21 2021 2020 20 53 01 00 7 0 003"],
    [sunday, "%D %F %x %X %T %R %r", "01/03/21 2021-01-03 01/03/21 14:05:09 14:05:09 14:05 02:05:09 PM"],
    [sunday, "%d %e %H %I %k %l %m %M %S %p %P", "03  3 14 02 14  2 01 05 09 PM pm"],
    [sunday, "%-d %_m %05e %^a %#a %#p %^B %10Y %-j %3d", "3  1 00003 SUN SUN pm JANUARY 0000002021 3 003"],
    [sunday, "%f %z%Z %% %q %-f %", "000042  % %q %-f %"],
    [sunday, "%Ey %Od %n%t %s", "21 03 \n\t 1609682709"],
    [sunday, "%H:%M:%S.%f", "14:05:09.000042"],
    [sunday, "%s.%f", "1609682709.000042"],
    [sunday, "%%f", "%f"],
    [monday, "%C %y %Y %G %g %V %U %W %u %w %j", "20 24 2024 2025 25 01 52 53 1 1 365"],
    [monday, "%d %e %H %I %k %l %m %M %S %p %P", "30 30 00 12  0 12 12 07 00 AM am"],
    [year999, "%C %y %Y %G %g %V %U %W %u %w %j", "9 99 999 999 99 09 08 08 5 5 060"],
    [year999, "%c|%F|%4C|%s", "Fri Mar  1 12:00:00 999|999-03-01|0009|-30636619200"],
  ])("renders case %#: %p", (render, fmt, expected) => {
    expect(render(fmt)).toBe(expected);
  });
});

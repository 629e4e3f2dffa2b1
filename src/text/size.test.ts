import { describe, expect, test } from "bun:test";
import { formatSize } from "./size.ts";

describe("formatSize", () => {
  test("decimal units: one decimal below 100, none above", () => {
    expect([0, 999, 1000, 99_949, 123_456_789].map((n) => formatSize(n, "si"))).toEqual(["0 B", "999 B", "1.0 kB", "99.9 kB", "123 MB"]);
  });
  test("binary units: always one decimal", () => {
    expect([512, 1536, 200 * 1024 ** 2, 5 * 1024 ** 5 * 3].map((n) => formatSize(n, "iec"))).toEqual(["512 B", "1.5 KiB", "200.0 MiB", "15360.0 TiB"]);
  });
});

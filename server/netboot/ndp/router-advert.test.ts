import { describe, expect, test } from "bun:test";
import { encodeRouterAdvert } from "./router-advert.ts";

describe("router advertisement (RFC 4861 §4.2)", () => {
  test("type 134, no flags, router lifetime 0, only the source link-layer address option", () => {
    const b = encodeRouterAdvert("52:54:00:ab:cd:ef");
    expect([...b]).toEqual([134, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]);
  });

  test("a malformed MAC address is refused", () => {
    expect(() => encodeRouterAdvert("52:54:00:ab:cd")).toThrow("not a MAC address");
    expect(() => encodeRouterAdvert("52:54:00:ab:cd:zz")).toThrow("not a MAC address");
  });
});

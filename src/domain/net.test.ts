import { describe, expect, test } from "bun:test";
import {
  formatIpv4,
  inSubnet,
  isIpv4,
  isVirtualMac,
  netmaskFromPrefix,
  normalizeMac,
  parseCidr,
  parseIpv4,
  prefixFromNetmask,
} from "./net.ts";

describe("IPv4 parsing", () => {
  test.each([
    ["192.168.152.1", 0xc0a89801],
    ["0.0.0.0", 0],
    ["255.255.255.255", 0xffffffff],
  ])("parses %p", (s, n) => {
    expect(parseIpv4(s)).toBe(n);
    expect(formatIpv4(n)).toBe(s);
  });
  test.each(["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ", "1..3.4"])(
    "refuses %p",
    (s) => {
      expect(parseIpv4(s)).toBeUndefined();
      expect(isIpv4(s)).toBe(false);
    },
  );
});

describe("netmasks and prefixes", () => {
  test.each([
    [0, "0.0.0.0"],
    [8, "255.0.0.0"],
    [22, "255.255.252.0"],
    [24, "255.255.255.0"],
    [32, "255.255.255.255"],
  ])("prefix %p is netmask %p", (prefix, mask) => {
    expect(netmaskFromPrefix(prefix)).toBe(mask);
    expect(prefixFromNetmask(mask)).toBe(prefix);
  });
  test("a non-contiguous netmask has no prefix", () => {
    expect(prefixFromNetmask("255.0.255.0")).toBeUndefined();
  });
  test.each([-1, 33, 1.5])("prefix %p is refused", (prefix) => {
    expect(() => netmaskFromPrefix(prefix)).toThrow(RangeError);
  });
  test.each([
    ["192.168.152.1/22", { ip: "192.168.152.1", prefix: 22 }],
    ["10.0.0.1/33", undefined],
    ["10.0.0.1", undefined],
    ["x/24", undefined],
  ])("parses the CIDR %p", (s, expected) => {
    expect(parseCidr(s)).toEqual(expected);
  });
});

describe("inSubnet", () => {
  test.each([
    ["192.168.152.77", "192.168.152.1", 22, true],
    ["192.168.155.254", "192.168.152.1", 22, true],
    ["192.168.156.1", "192.168.152.1", 22, false],
    ["10.1.2.3", "192.168.152.1", 0, true],
    ["192.168.152.1", "192.168.152.1", 32, true],
    ["192.168.152.2", "192.168.152.1", 32, false],
    ["255.255.255.255", "255.255.255.0", 24, true],
    ["bad", "192.168.152.1", 24, false],
  ])("%p in %p/%p is %p", (ip, server, prefix, expected) => {
    expect(inSubnet(ip, server, prefix)).toBe(expected);
  });
});

describe("MAC addresses", () => {
  test.each([
    ["52:54:00:AB:cd:01", "52:54:00:ab:cd:01"],
    ["52-54-00-ab-cd-01", "52:54:00:ab:cd:01"],
    ["525400abcd01", "52:54:00:ab:cd:01"],
    ["e4:5f:1:2:3:4", "e4:5f:01:02:03:04"],
  ])("normalises %p", (mac, expected) => {
    expect(normalizeMac(mac)).toBe(expected);
  });
  test.each(["", "52:54:00:ab:cd", "52:54:00:ab:cd:01:02", "52:54:00-ab:cd:01", "zz:54:00:ab:cd:01", "525:4:00:ab:cd:01"])(
    "refuses %p",
    (mac) => {
      expect(normalizeMac(mac)).toBeUndefined();
    },
  );
  test.each([
    ["52:54:00:12:34:56", true],
    ["52-54-00-12-34-56", true],
    ["52:54:01:12:34:56", false],
    ["b8:27:eb:12:34:56", false],
    ["garbage", false],
  ])("%p is virtual: %p", (mac, expected) => {
    expect(isVirtualMac(mac)).toBe(expected);
  });
});

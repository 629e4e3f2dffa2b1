import { describe, expect, test } from "bun:test";
import { decodePacket, encodeData, encodePacket, type TftpPacket } from "./packet.ts";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

describe("tftp packet codec", () => {
  const roundTrips: [string, TftpPacket][] = [
    ["RRQ without options", { op: "rrq", filename: "boot/pc-x86-64.ipxe", mode: "octet", options: [] }],
    ["RRQ with options", { op: "rrq", filename: "1a2b3c4d/start4.elf", mode: "octet", options: [{ name: "tsize", value: "0" }, { name: "blksize", value: "1468" }] }],
    ["WRQ netascii", { op: "wrq", filename: "x.txt", mode: "netascii", options: [] }],
    ["DATA", { op: "data", block: 65535, data: new Uint8Array([1, 2, 3]) }],
    ["empty DATA", { op: "data", block: 0, data: new Uint8Array(0) }],
    ["ACK", { op: "ack", block: 258 }],
    ["ERROR", { op: "error", code: 1, message: "File not found" }],
    ["ERROR with empty message", { op: "error", code: 0, message: "" }],
    ["OACK", { op: "oack", options: [{ name: "blksize", value: "8192" }, { name: "windowsize", value: "8" }] }],
    ["UTF-8 filename", { op: "rrq", filename: "nodes/é/x", mode: "octet", options: [] }],
  ];
  test.each(roundTrips)("%s survives encode then decode", (_name, packet) => {
    expect(decodePacket(encodePacket(packet))).toEqual({ ok: true, packet });
  });

  test("encodes RRQ bytes as on the wire", () => {
    const p = encodePacket({ op: "rrq", filename: "a", mode: "octet", options: [{ name: "tsize", value: "0" }] });
    expect([...p]).toEqual([...bytes([0, 1], "a", [0], "octet", [0], "tsize", [0], "0", [0])]);
  });

  test("encodeData writes the header and the block number modulo 65536", () => {
    expect([...encodeData(0x1234, new Uint8Array([9]))]).toEqual([0, 3, 0x12, 0x34, 9]);
  });

  test("mode is case-insensitive and normalised", () => {
    const d = decodePacket(bytes([0, 1], "f", [0], "OCTET", [0]));
    expect(d.ok && d.packet.op === "rrq" && d.packet.mode).toBe("octet");
  });

  test("NUL padding after the last option is tolerated, an empty option value is kept", () => {
    const padded = decodePacket(bytes([0, 1], "f", [0], "octet", [0], "tsize", [0], "0", [0, 0, 0]));
    expect(padded.ok && padded.packet.op === "rrq" && padded.packet.options).toEqual([{ name: "tsize", value: "0" }]);
    const empty = decodePacket(bytes([0, 1], "f", [0], "octet", [0], "x", [0, 0]));
    expect(empty.ok && empty.packet.op === "rrq" && empty.packet.options).toEqual([{ name: "x", value: "" }]);
  });

  const malformed: [string, Uint8Array, RegExp][] = [
    ["empty datagram", bytes(), /no opcode/],
    ["one byte", bytes([0]), /no opcode/],
    ["unknown opcode 0", bytes([0, 0, 1, 2]), /unknown opcode 0/],
    ["unknown opcode 7", bytes([0, 7]), /unknown opcode 7/],
    ["opcode 0xffff", bytes([255, 255, 0, 0]), /unknown opcode 65535/],
    ["RRQ with no strings", bytes([0, 1]), /truncated/],
    ["RRQ filename without NUL", bytes([0, 1], "boot"), /no terminating NUL/],
    ["RRQ without mode", bytes([0, 1], "boot", [0]), /truncated/],
    ["RRQ mode without NUL", bytes([0, 1], "boot", [0], "octet"), /no terminating NUL/],
    ["RRQ empty filename", bytes([0, 1, 0], "octet", [0]), /empty filename/],
    ["RRQ mode mail", bytes([0, 1], "f", [0], "mail", [0]), /unsupported transfer mode "mail"/],
    ["RRQ unknown mode", bytes([0, 1], "f", [0], "binary", [0]), /unsupported transfer mode/],
    ["RRQ option without value", bytes([0, 1], "f", [0], "octet", [0], "blksize", [0]), /has no value/],
    ["RRQ option value without NUL", bytes([0, 1], "f", [0], "octet", [0], "blksize", [0], "512"), /no terminating NUL/],
    ["RRQ duplicate option", bytes([0, 1], "f", [0], "octet", [0], "blksize", [0], "512", [0], "BLKSIZE", [0], "1024", [0]), /given twice/],
    ["RRQ empty option name", bytes([0, 1], "f", [0], "octet", [0, 0], "512", [0]), /empty name/],
    ["RRQ invalid UTF-8 filename", bytes([0, 1, 0xff, 0xfe, 0], "octet", [0]), /not valid UTF-8/],
    ["DATA truncated header", bytes([0, 3, 0]), /shorter/],
    ["ACK truncated", bytes([0, 4, 1]), /shorter/],
    ["ERROR without code", bytes([0, 5]), /shorter/],
    ["ERROR message without NUL", bytes([0, 5, 0, 1], "oops"), /no terminating NUL/],
    ["ERROR without message", bytes([0, 5, 0, 1]), /exactly one message/],
    ["ERROR with two strings", bytes([0, 5, 0, 1], "a", [0], "b", [0]), /exactly one message/],
    ["OACK odd strings", bytes([0, 6], "blksize", [0]), /has no value/],
    ["OACK duplicate", bytes([0, 6], "tsize", [0], "1", [0], "tsize", [0], "2", [0]), /given twice/],
  ];
  test.each(malformed)("rejects %s without throwing", (_name, datagram, reason) => {
    const d = decodePacket(datagram);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(reason);
  });

  test("never throws on random datagrams", () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let i = 0; i < 5000; i++) {
      const len = rnd() % 40;
      const d = new Uint8Array(len).map(() => (rnd() < 40 ? 0 : rnd()));
      if (len > 1) d[0] = 0;
      if (len > 1) d[1] = rnd() % 8;
      expect(() => decodePacket(d)).not.toThrow();
    }
  });
});

import { describe, expect, test } from "bun:test";
import { decodeMessages, encodeGetFamily, encodeNbdConnect, encodeNbdDisconnect, errorOf, familyIdOf } from "./netlink.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("generic netlink encoding", () => {
  test("CTRL_CMD_GETFAMILY for nbd: nlmsghdr to GENL_ID_CTRL with REQUEST|ACK, genlmsghdr v1, a NUL-terminated name", () => {
    expect(hex(encodeGetFamily("nbd", 1))).toBe(hex(bytes("1c000000 1000 0500 01000000 00000000  03010000  08000200 6e626400")));
  });

  test("NBD_CMD_CONNECT: index u32, size, block size and server flags u64, then SOCKETS > SOCK_ITEM > SOCK_FD nested", () => {
    const params = { index: 0, sizeBytes: 16 * 2 ** 20, blockSizeBytes: 4096, serverFlags: 0x125, timeoutS: 0, fd: 5 };
    expect(hex(encodeNbdConnect(0x1b, 2, params))).toBe(
      hex(
        bytes(`50000000 1b00 0500 02000000 00000000  01010000
          08000100 00000000
          0c000200 0000000100000000
          0c000300 0010000000000000
          0c000500 2501000000000000
          10000780 0c000180 08000100 05000000`),
      ),
    );
  });

  test("a timeout is sent only when set, after the server flags; NBD_CMD_DISCONNECT names the index", () => {
    const params = { index: 3, sizeBytes: 0, blockSizeBytes: 512, serverFlags: 1, timeoutS: 30, fd: 7 };
    const msg = encodeNbdConnect(0x1b, 9, params);
    expect(msg.length).toBe(80 + 12);
    expect(hex(msg.subarray(64, 76))).toBe("0c0004001e00000000000000");
    expect(hex(encodeNbdDisconnect(0x1b, 4, 3))).toBe(hex(bytes("1c000000 1b00 0500 04000000 00000000  02010000  08000100 03000000")));
  });
});

describe("generic netlink decoding", () => {
  const newFamily = "24000000 1000 0000 01000000 39300000  01020000  06000100 1b000000  08000200 6e626400";
  const ack = (errno: string): string => `24000000 0200 0001 01000000 39300000 ${errno} 1c000000 1000 0500 01000000 00000000`;

  test("a GETFAMILY reply and its ACK in one datagram: the family id, then error 0", () => {
    const msgs = decodeMessages(bytes(newFamily + ack("00000000")));
    expect(msgs.map((m) => [m.type, m.seq])).toEqual([[0x10, 1], [2, 1]]);
    expect(msgs.map((m) => [familyIdOf(m), errorOf(m)])).toEqual([[0x1b, undefined], [undefined, 0]]);
  });

  test("an NLMSG_ERROR carries -errno; a truncated message is dropped", () => {
    const [err] = decodeMessages(bytes(ack("f0ffffff")));
    expect(err && errorOf(err)).toBe(-16);
    expect(decodeMessages(bytes(newFamily).subarray(0, 30))).toEqual([]);
  });
});

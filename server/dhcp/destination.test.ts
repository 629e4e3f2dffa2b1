import { expect, test } from "bun:test";
import { DEFAULT_ROUTING, replyDestination } from "./destination.ts";

const req = (giaddr = "0.0.0.0", ciaddr = "0.0.0.0") => ({ giaddr, ciaddr });

test.each([
  ["a new client: broadcast to port 68", req(), "OFFER", { address: "255.255.255.255", port: 68 }],
  ["a renewing client: unicast to ciaddr", req("0.0.0.0", "192.168.152.7"), "ACK", { address: "192.168.152.7", port: 68 }],
  ["a NAK: always broadcast", req("0.0.0.0", "192.168.152.7"), "NAK", { address: "255.255.255.255", port: 68 }],
  ["through a relay: to giaddr, server port", req("192.168.152.250", "192.168.152.7"), "NAK", { address: "192.168.152.250", port: 67 }],
] as const)("reply destination: %s", (_name, r, type, expected) => {
  expect(replyDestination(r, type, 40000, DEFAULT_ROUTING)).toEqual(expected);
});

test("tests can answer on loopback, to the port the request came from", () => {
  expect(replyDestination(req(), "ACK", 40000, { ...DEFAULT_ROUTING, clientPort: "source", broadcastAddress: "127.0.0.1" })).toEqual({ address: "127.0.0.1", port: 40000 });
});

import { describe, expect, test } from "bun:test";
import { imageName, networkReason, noSuchImage, refused, unreachable } from "./errors.ts";

describe("registry errors", () => {
  test("network reasons are short and single-line", () => {
    expect(networkReason(Object.assign(new TypeError("ECONNREFUSED: Unable to connect. Is the computer able to access the url?"), { code: "ECONNREFUSED" }))).toBe("connection refused");
    expect(networkReason(Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }))).toBe("host not found");
    expect(networkReason(new DOMException("The operation timed out.", "TimeoutError"))).toBe("no answer in time");
    expect(networkReason(new Error("first line.\nsecond line"))).toBe("first line");
    expect(networkReason("weird")).toBe("weird");
  });

  test("messages", () => {
    const e = unreachable("h:5000", Object.assign(new Error("x"), { code: "ECONNREFUSED" }));
    expect([e.code, e.message]).toEqual(["UNAVAILABLE", "Cannot reach registry h:5000: connection refused."]);
    expect(refused("h", 401, true).message).toBe("Registry h refused the credentials (HTTP 401).");
    expect(refused("h", 401, false).message).toBe("Registry h requires credentials (HTTP 401).");
    expect(noSuchImage("h", "a/b", "v1").message).toBe("No such image a/b:v1 on h.");
    expect(imageName("a/b", `sha256:${"1".repeat(64)}`)).toBe(`a/b@sha256:${"1".repeat(64)}`);
  });
});

import { describe, expect, test } from "bun:test";
import { formatReference, parseReference, referenceRef, registryBaseUrl } from "./reference.ts";

const D = `sha256:${"ab".repeat(32)}`;

describe("parseReference", () => {
  test("Docker Hub normalisation", () => {
    expect(parseReference("debian")).toEqual({ host: "docker.io", repo: "library/debian" });
    expect(parseReference("debian:bookworm")).toEqual({ host: "docker.io", repo: "library/debian", tag: "bookworm" });
    expect(parseReference("waltplatform/rpi-default")).toEqual({ host: "docker.io", repo: "waltplatform/rpi-default" });
    expect(parseReference("index.docker.io/user/x:1")).toEqual({ host: "docker.io", repo: "user/x", tag: "1" });
    expect(parseReference("docker.io/debian")).toEqual({ host: "docker.io", repo: "library/debian" });
  });

  test("hosts with ports, localhost, digests", () => {
    expect(parseReference("127.0.0.1:5000/a/b/c:v1.2")).toEqual({ host: "127.0.0.1:5000", repo: "a/b/c", tag: "v1.2" });
    expect(parseReference("localhost/x")).toEqual({ host: "localhost", repo: "x" });
    expect(parseReference(`reg.example.com/x@${D}`)).toEqual({ host: "reg.example.com", repo: "x", digest: D });
    expect(parseReference(`reg.example.com:443/x:t@${D}`)).toEqual({ host: "reg.example.com:443", repo: "x", tag: "t", digest: D });
    expect(parseReference("[::1]:5000/x")).toEqual({ host: "[::1]:5000", repo: "x" });
  });

  test("repository component separators", () => {
    expect(parseReference("a/b.c_d__e--f").repo).toBe("a/b.c_d__e--f");
  });

  test("invalid references give one line naming the input", () => {
    for (const bad of ["", "UPPER", "a//b", "a/-b", "a:", "a:-t", "a@sha256:12", "reg.example.com/", "a/b:t:u", `a@${D}x!`]) {
      expect(() => parseReference(bad)).toThrow(`Invalid image reference "${bad}".`);
    }
  });
});

describe("helpers", () => {
  test("referenceRef prefers the digest, defaults to latest", () => {
    expect(referenceRef({ host: "h", repo: "r" })).toBe("latest");
    expect(referenceRef({ host: "h", repo: "r", tag: "t" })).toBe("t");
    expect(referenceRef({ host: "h", repo: "r", tag: "t", digest: D })).toBe(D);
  });
  test("formatReference round-trips", () => {
    const s = `127.0.0.1:5000/a/b:t@${D}`;
    expect(formatReference(parseReference(s))).toBe(s);
  });
  test("registryBaseUrl", () => {
    expect(registryBaseUrl("docker.io")).toBe("https://registry-1.docker.io");
    expect(registryBaseUrl("127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(registryBaseUrl("localhost:5000")).toBe("http://localhost:5000");
    expect(registryBaseUrl("reg.example.com")).toBe("https://reg.example.com");
    expect(registryBaseUrl("reg.example.com:8080", "http")).toBe("http://reg.example.com:8080");
  });
});

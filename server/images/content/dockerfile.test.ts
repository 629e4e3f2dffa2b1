import { describe, expect, test } from "bun:test";
import { fromImages, fullnameOfRef, rewriteDockerfile } from "./dockerfile.ts";

describe("FROM rewriting (WALT's replace_implicit_from_lines)", () => {
  const dockerfile = [
    "# syntax=docker/dockerfile:1",
    "FROM --platform=linux/amd64 rpi-default:v2 AS builder",
    "RUN make \\",
    "    all",
    "from builder",
    "FROM scratch",
    "FROM waltplatform/pc-x86-64-default",
    "FROM tiny as final",
    "COPY --from=builder /out /out",
  ].join("\n");

  test("images without a user part get the requester's; stages, scratch and explicit users are kept", () => {
    expect(fromImages(dockerfile, "alice")).toEqual(["alice/rpi-default:v2", "waltplatform/pc-x86-64-default", "alice/tiny"]);
    expect(rewriteDockerfile(dockerfile, "alice", new Map()).split("\n")).toEqual([
      "# syntax=docker/dockerfile:1",
      "FROM --platform=linux/amd64 alice/rpi-default:v2 AS builder",
      "RUN make \\",
      "    all",
      "FROM builder",
      "FROM scratch",
      "FROM waltplatform/pc-x86-64-default",
      "FROM alice/tiny as final",
      "COPY --from=builder /out /out",
    ]);
  });

  test("images exported from the store are replaced by their layout reference", () => {
    const out = rewriteDockerfile("FROM tiny\nRUN true\n", "alice", new Map([["alice/tiny", "oci:/x/base:alice/tiny:latest"]]));
    expect(out).toBe("FROM oci:/x/base:alice/tiny:latest\nRUN true\n");
  });

  test("a continued FROM line is rewritten as one line", () => {
    expect(rewriteDockerfile("FROM \\\n  tiny\nRUN true", "bob", new Map())).toBe("FROM bob/tiny\nRUN true");
  });

  test("store full names of references", () => {
    expect(fullnameOfRef("alice/tiny")).toBe("alice/tiny:latest");
    expect(fullnameOfRef("docker.io/alice/tiny:v1")).toBe("alice/tiny:v1");
    expect(fullnameOfRef("registry.example:5000/a/b")).toBeUndefined();
    expect(fullnameOfRef("alice/tiny@sha256:00")).toBeUndefined();
  });
});

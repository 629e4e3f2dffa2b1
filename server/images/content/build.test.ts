import { describe, expect, test } from "bun:test";
import { requireBuildTools } from "./build.ts";

describe("image build prerequisites", () => {
  test("a server without buildah refuses builds naming the Debian package to install", () => {
    let error: unknown;
    try {
      requireBuildTools("dir", "/nonexistent");
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe("Cannot build images: buildah is not installed on the WalT server.");
    expect((error as { hint?: string }).hint).toBe("install the Debian package buildah on the server (apt-get install buildah)");
  });
});

import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../../src/log.ts";
import { defaultRecipe, recipeHash } from "./build.ts";
import type { Recipe } from "./recipe.ts";

const ctx = { cacheDir: "/nonexistent", log: silentLogger };

function fake(inputs: Record<string, string>): Recipe {
  return {
    name: "busybox",
    fullname: "waltplatform/fake:latest",
    labels: { "walt.node.models": "pc-x86-64" },
    cmd: ["/bin/sh"],
    env: [],
    inputs: () => Promise.resolve(inputs),
    populate: () => Promise.reject(new Error("not built in this test")),
  };
}

describe("default image recipes", () => {
  test("the recipe hash depends on the inputs, not on their order", async () => {
    const a = await recipeHash(fake({ kernel: "linux-image-6.1.0-56-amd64=6.1.192-2", init: "#!/bin/sh\n" }), ctx);
    const reordered = await recipeHash(fake({ init: "#!/bin/sh\n", kernel: "linux-image-6.1.0-56-amd64=6.1.192-2" }), ctx);
    const newKernel = await recipeHash(fake({ kernel: "linux-image-6.1.0-57-amd64=6.1.193-1", init: "#!/bin/sh\n" }), ctx);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered).toBe(a);
    expect(newKernel).not.toBe(a);
  });

  test("the two recipes have WALT's fullnames and labels; an unknown name is a usage error", () => {
    expect(defaultRecipe("busybox")).toMatchObject({ fullname: "waltplatform/pc-x86-64-busybox:latest", labels: { "walt.node.models": "pc-x86-64" } });
    expect(defaultRecipe("debian")).toMatchObject({
      fullname: "waltplatform/pc-x86-64-default:latest",
      labels: { "walt.node.models": "pc-x86-64", "walt.image.preferred-name": "pc-x86-64-default" },
    });
    expect(() => defaultRecipe("alpine")).toThrow("Unknown default image recipe 'alpine'; use one of: busybox, debian.");
  });
});

import { describe, expect, test } from "bun:test";
import { linkColumn, linkOf } from "./search.ts";

describe("search links", () => {
  test("the clonable link omits :latest", () => {
    expect(linkOf("hub", "waltplatform", "rpi-default:latest")).toBe("hub:waltplatform/rpi-default");
    expect(linkOf("walt", "bob", "x:v2")).toBe("walt:bob/x:v2");
  });

  test("an image needing a newer server says so (WALT skips the check on versions below 1.0)", () => {
    const f = { user: "u", nameTag: "img:latest", labels: { "walt.node.models": "m", "walt.server.minversion": "12" } };
    expect(linkColumn("hub", f, "10.0")).toBe("[Need server upgrade, version>=12]");
    expect(linkColumn("hub", f, "12.0")).toBe("hub:u/img");
    expect(linkColumn("hub", f, "0.1.0-dev")).toBe("hub:u/img");
    expect(linkColumn("hub", { ...f, labels: { "walt.server.minversion": "x" } }, "10.0")).toBe("hub:u/img");
  });
});

/** `walt image squash` (WALT §1.5, §4.10): one layer with the same tree, config kept, confirmation when in use. */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { labelsOf } from "../../server/images/store/oci.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const LABELS = { "walt.node.models": "pc-x86-64", "walt.image.preferred-name": "x" };

async function twoLayers(s: TestServer): Promise<string> {
  return storeImage(s.ctx.images, "alice/tool:latest", {
    labels: LABELS,
    layers: [
      { "etc/a": "a\n", "etc/b": "b\n" },
      { "etc/c": "c\n", "etc/.wh.a": "", "etc/b": "b2\n" },
    ],
  });
}

describe("walt image squash", () => {
  test("writes the image's tree as one layer under the same name; labels and env are kept", async () => {
    await using s = await startTestServer();
    const before = await twoLayers(s);
    expect(await s.cli("alice", ["image", "squash", "tool"])).toEqual({ code: 0, out: "Image was squashed successfully.\n", err: "" });
    const after = await s.ctx.images.resolve("alice/tool:latest");
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const manifest = await s.ctx.images.manifest(after as string);
    expect(manifest.layers).toHaveLength(1);
    const config = await s.ctx.images.config(after as string);
    expect(labelsOf(config)).toEqual(LABELS);
    expect((config.config as { Env?: string[] }).Env).toEqual(["PATH=/bin"]);
    expect(config.rootfs.diff_ids).toHaveLength(1);
    const root = await s.ctx.images.rootfs(after as string);
    expect(existsSync(`${root}/etc/a`)).toBe(false);
    expect(readFileSync(`${root}/etc/b`, "utf8")).toBe("b2\n");
    expect(readFileSync(`${root}/etc/c`, "utf8")).toBe("c\n");
    // the old layers are collected
    expect(s.ctx.images.blobs.has(before)).toBe(false);
  });

  test("an image in use needs a confirmation; its nodes are then rebooted", async () => {
    await using s = await startTestServer();
    const before = await twoLayers(s);
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/tool:latest" });
    const warning = "This operation would reboot 1 node(s) currently using the image.\n";
    expect(await s.cli("alice", ["image", "squash", "tool"], { input: ["n"] })).toEqual({ code: 1, out: "Are you sure? (y/n): \nAborted.\n", err: warning });
    expect(await s.ctx.images.resolve("alice/tool:latest")).toBe(before);
    expect(await s.cli("alice", ["image", "squash", "tool"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\nImage was squashed successfully.\n",
      err: warning,
    });
    expect(await s.ctx.images.resolve("alice/tool:latest")).not.toBe(before);
  });

  test("a missing image: WALT's message", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["image", "squash", "nope"])).toEqual({ code: 1, out: "", err: "Error: No such image 'nope'. (tip: walt image show)\n" });
  });
});

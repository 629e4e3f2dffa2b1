/** `walt image rename|duplicate|remove` and `walt advanced fix-image-owner` (WALT §1.4, §1.5, A.5). */
import { describe, expect, test } from "bun:test";
import { BAD_IMAGE_NAME } from "../../src/domain/names.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const names = async (s: TestServer, user: string): Promise<string> => (await s.cli(user, ["image", "show", "--names-only"])).out;
const tags = async (s: TestServer): Promise<string[]> => (await s.ctx.images.list()).map((i) => i.fullname).sort();

async function bootOn(s: TestServer, fullname: string): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: fullname });
}

describe("walt image rename", () => {
  test("renames an image of the working set (same image, new name)", async () => {
    await using s = await startTestServer();
    const digest = await storeImage(s.ctx.images, "alice/foo:latest");
    expect(await s.cli("alice", ["image", "rename", "foo", "bar:v2"])).toEqual({ code: 0, out: "", err: "" });
    expect(await names(s, "alice")).toBe("bar:v2\n");
    expect(await s.ctx.images.resolve("alice/bar:v2")).toBe(digest);
  });

  test("refuses a missing image, an existing target, an invalid or reserved name, an image in use", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "alice/foo:latest");
    await storeImage(s.ctx.images, "alice/bar:latest", { layers: [{ b: "b" }] });
    expect(await s.cli("alice", ["image", "rename", "nope", "x"])).toEqual({ code: 1, out: "", err: "Error: No such image 'nope'. (tip: walt image show)\n" });
    expect(await s.cli("alice", ["image", "rename", "foo", "bar"])).toEqual({ code: 1, out: "", err: "Error: Image 'bar' already exists.\n" });
    expect(await s.cli("alice", ["image", "rename", "foo", "Bad_Name"])).toEqual({ code: 1, out: "", err: `${BAD_IMAGE_NAME}\n` });
    expect(await s.cli("alice", ["image", "rename", "foo", "default"])).toEqual({ code: 1, out: "", err: "Sorry 'default' is a reserved keyword.\n" });
    await bootOn(s, "alice/foo:latest");
    expect(await s.cli("alice", ["image", "rename", "foo", "baz"])).toEqual({ code: 1, out: "", err: "Sorry, cannot proceed because the image is in use.\n" });
    expect(await tags(s)).toEqual(["alice/bar:latest", "alice/foo:latest"]);
  });

  test("users only act on their own working set", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "bob/foo:latest");
    for (const argv of [
      ["image", "rename", "foo", "x"],
      ["image", "duplicate", "foo", "x"],
      ["image", "remove", "foo"],
      ["image", "squash", "foo"],
    ]) {
      expect(await s.cli("alice", argv)).toEqual({ code: 1, out: "", err: "Error: No such image 'foo'. (tip: walt image show)\n" });
    }
    expect(await s.cli("alice", ["image", "remove", "bob/foo"])).toEqual({ code: 1, out: "", err: "Error: No such image 'bob/foo'. (tip: walt image show)\n" });
    expect(await tags(s)).toEqual(["bob/foo:latest"]);
  });
});

describe("walt image duplicate", () => {
  test("adds a second name to the same image, even in use", async () => {
    await using s = await startTestServer();
    const digest = await storeImage(s.ctx.images, "alice/foo:latest");
    await bootOn(s, "alice/foo:latest");
    expect(await s.cli("alice", ["image", "duplicate", "foo", "foo:copy"])).toEqual({ code: 0, out: "", err: "" });
    expect(await names(s, "alice")).toBe("foo\nfoo:copy\n");
    expect(await s.ctx.images.resolve("alice/foo:copy")).toBe(digest);
    expect(await s.cli("alice", ["image", "duplicate", "foo", "foo:copy"])).toEqual({ code: 1, out: "", err: "Error: Image 'foo:copy' already exists.\n" });
  });

  test("a new user's lookup first clones the default images (so their names can be used)", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "waltplatform/pc-x86-64-default:latest");
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    expect(await s.cli("alice", ["image", "duplicate", "pc-x86-64-default", "mine"])).toEqual({
      code: 0,
      out: "Cloned pc-x86-64-default, a default image for pc-x86-64.\n",
      err: "",
    });
    expect(await names(s, "alice")).toBe("mine\npc-x86-64-default\n");
  });
});

describe("walt image remove", () => {
  test("removes the tag; blobs no image needs are collected", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "alice/foo:latest", { layers: [{ big: "x".repeat(10_000) }] });
    const before = s.ctx.images.diskUsage();
    expect(await s.cli("alice", ["image", "remove", "foo"])).toEqual({ code: 0, out: "", err: "" });
    expect(await tags(s)).toEqual([]);
    expect(s.ctx.images.diskUsage()).toBeLessThan(before);
    expect(s.ctx.images.diskUsage()).toBe(0);
  });

  test("is refused while a node boots the image", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "alice/foo:latest");
    await bootOn(s, "alice/foo:latest");
    expect(await s.cli("alice", ["image", "remove", "foo"])).toEqual({ code: 1, out: "", err: "Sorry, cannot proceed because the image is in use.\n" });
    expect(await tags(s)).toEqual(["alice/foo:latest"]);
  });
});

describe("walt advanced fix-image-owner", () => {
  test("without the flag: WALT's explanation and the command to run, nothing changes", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "bob/foo:latest");
    expect(await s.cli("alice", ["advanced", "fix-image-owner", "bob"])).toEqual({
      code: 0,
      out:
        "This will make you own all images of user 'bob'. It is intended\n" +
        "for maintenance only (i.e. if user 'bob' is no longer working with\n" +
        "walt).\n" +
        "If this is really what you want, run:\n" +
        "walt advanced fix-image-owner --yes-i-know-do-it-please bob\n\n",
      err: "",
    });
    expect(await tags(s)).toEqual(["bob/foo:latest"]);
  });

  test("moves every image of the other user, named <me>/<name>:<tag> (WALT's missing-slash bug fixed)", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "bob/foo:latest");
    await storeImage(s.ctx.images, "bob/bar:v2", { layers: [{ b: "2" }] });
    await storeImage(s.ctx.images, "carol/baz:latest");
    expect(await s.cli("alice", ["advanced", "fix-image-owner", "--yes-i-know-do-it-please", "bob"])).toEqual({
      code: 0,
      out: "Image bar:v2 now belongs to you.\nImage foo now belongs to you.\n",
      err: "",
    });
    expect(await tags(s)).toEqual(["alice/bar:v2", "alice/foo:latest", "carol/baz:latest"]);
  });

  test("refusals: oneself, images in use, name clashes, a user without images", async () => {
    await using s = await startTestServer();
    const fix = (who: string): Promise<unknown> => s.cli("alice", ["advanced", "fix-image-owner", "--yes-i-know-do-it-please", who]);
    expect(await fix("alice")).toEqual({ code: 1, out: "", err: "Invalid username. According to your walt.conf file, you are 'alice'!\n" });
    expect(await fix("nobody")).toEqual({
      code: 1,
      out: "",
      err: "Cannot find any images belonging to a user with name 'nobody'.\nMake sure you typed it correctly.\n",
    });
    await storeImage(s.ctx.images, "bob/foo:latest");
    await storeImage(s.ctx.images, "bob/bar:latest", { layers: [{ b: "b" }] });
    await storeImage(s.ctx.images, "alice/foo:latest", { layers: [{ a: "a" }] });
    expect(await fix("bob")).toEqual({
      code: 1,
      out: "",
      err: "Cannot proceed because the following images of bob would overwrite\nthose with the same name in your working set:\nfoo\n",
    });
    await bootOn(s, "bob/bar:latest");
    expect(await fix("bob")).toEqual({ code: 1, out: "", err: "Cannot proceed because some images of bob are in use:\nbar\n" });
    expect(await tags(s)).toEqual(["alice/foo:latest", "bob/bar:latest", "bob/foo:latest"]);
  });
});

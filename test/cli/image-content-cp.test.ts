/** `walt image cp` (WALT §1.5, §4.8): tar streamed both ways, saved as a new layer, WALT's messages. */
import { describe, expect, test } from "bun:test";
import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeviceRepo } from "../../server/devices/repo.ts";
import { treeOf } from "../../server/images/store/fixtures.ts";
import { storeBusyboxImage } from "../helpers/busybox-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { tempDir } from "../helpers/tmp.ts";
import { storeImage } from "../helpers/oci-image.ts";

/** A local tree with distinct modes, a symlink, a hard link and an empty directory. */
function localTree(dir: string): string {
  const top = join(dir, "tree");
  mkdirSync(join(top, "sub/empty"), { recursive: true });
  writeFileSync(join(top, "plain.txt"), "plain\n");
  chmodSync(join(top, "plain.txt"), 0o640);
  writeFileSync(join(top, "tool.sh"), "#!/bin/sh\necho tool\n");
  chmodSync(join(top, "tool.sh"), 0o755);
  writeFileSync(join(top, "sub/deep"), "deep\n");
  chmodSync(join(top, "sub/deep"), 0o600);
  chmodSync(join(top, "sub"), 0o711);
  symlinkSync("plain.txt", join(top, "link"));
  symlinkSync("/etc/motd", join(top, "abs-link"));
  linkSync(join(top, "plain.txt"), join(top, "hard.txt"));
  return top;
}

async function imageRootfs(s: TestServer, fullname: string): Promise<string> {
  const digest = await s.ctx.images.resolve(fullname);
  if (digest === undefined) throw new Error(`${fullname} is not tagged`);
  return s.ctx.images.rootfs(digest);
}

const layers = async (s: TestServer, fullname: string): Promise<number> => (await s.ctx.images.manifest((await s.ctx.images.resolve(fullname)) ?? "")).layers.length;

describe("walt image cp", () => {
  test("a directory copied into an image and back keeps its modes, symlinks and hard links", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const before = await s.ctx.images.resolve("alice/tiny:latest");
    const src = localTree(tmp.path);

    expect(await s.cli("alice", ["image", "cp", src, "tiny:/opt"])).toEqual({ code: 0, out: "Image tiny updated.\n", err: "" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).not.toBe(before);
    expect(await layers(s, "alice/tiny:latest")).toBe(2);
    const rootfs = await imageRootfs(s, "alice/tiny:latest");
    expect(treeOf(join(rootfs, "opt/tree"))).toEqual(treeOf(src));
    expect(lstatSync(join(rootfs, "opt/tree/plain.txt")).ino).toBe(lstatSync(join(rootfs, "opt/tree/hard.txt")).ino);
    expect(lstatSync(join(rootfs, "opt/tree/plain.txt")).uid).toBe(0);
    // What was in the image stays.
    expect(readFileSync(join(rootfs, "opt/data/run.sh"), "utf8")).toBe("#!/bin/sh\necho run\n");

    const back = join(tmp.path, "back");
    mkdirSync(back);
    expect(await s.cli("alice", ["image", "cp", "tiny:/opt/tree", back])).toEqual({ code: 0, out: "", err: "" });
    expect(treeOf(join(back, "tree"))).toEqual(treeOf(src));
    expect(readlinkSync(join(back, "tree/abs-link"))).toBe("/etc/motd");
  });

  test("a file copied from an image gets the new name given, its mode, and a symlink is followed", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const dst = join(tmp.path, "copy-of-secret");
    expect(await s.cli("alice", ["image", "cp", "tiny:/opt/data/secret", dst])).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(dst, "utf8")).toBe("s3cret\n");
    expect(lstatSync(dst).mode & 0o7777).toBe(0o600);
    expect(await s.cli("alice", ["image", "cp", "tiny:/opt/data/link", tmp.path])).toEqual({ code: 0, out: "", err: "" });
    expect(lstatSync(join(tmp.path, "link")).isFile()).toBe(true);
    expect(readFileSync(join(tmp.path, "link"), "utf8")).toBe("#!/bin/sh\necho run\n");
  });

  test("a file copied onto an existing image file replaces it, and relative image paths are under /root", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    const original = await s.ctx.images.rootfs(await storeBusyboxImage(s.ctx.images, "alice/tiny:latest"));
    const f = join(tmp.path, "motd");
    writeFileSync(f, "new motd\n");
    expect((await s.cli("alice", ["image", "cp", f, "tiny:/etc/motd"])).code).toBe(0);
    expect((await s.cli("alice", ["image", "cp", f, "tiny:notes.txt"])).code).toBe(0);
    const rootfs = await imageRootfs(s, "alice/tiny:latest");
    expect(readFileSync(join(rootfs, "etc/motd"), "utf8")).toBe("new motd\n");
    expect(readFileSync(join(rootfs, "root/notes.txt"), "utf8")).toBe("new motd\n");
    expect(await layers(s, "alice/tiny:latest")).toBe(3);
    // The working copy shares the original's files through hard links: the original must be intact.
    expect(readFileSync(join(original, "etc/motd"), "utf8")).toBe("tiny image\n");
    expect(lstatSync(join(original, "root/notes.txt"), { throwIfNoEntry: false })).toBeUndefined();
  });

  test("WALT's errors: missing paths, a directory over a file, booted-image, bad operands, unknown image", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const before = await s.ctx.images.resolve("alice/tiny:latest");
    expect(await s.cli("alice", ["image", "cp", "tiny:/nonexistent", tmp.path])).toEqual({ code: 1, out: "", err: "No such file or directory: /nonexistent\n" });
    expect(await s.cli("alice", ["image", "cp", join(tmp.path, "nothing"), "tiny:/etc"])).toEqual({
      code: 1,
      out: "",
      err: `No such file or directory: ${join(tmp.path, "nothing")}\n`,
    });
    expect(await s.cli("alice", ["image", "cp", tmp.path, "tiny:/etc/motd"])).toEqual({
      code: 1,
      out: "",
      err: `Invalid request. Overwriting regular file /etc/motd with directory ${tmp.path} is not allowed.\n`,
    });
    expect(await s.cli("alice", ["image", "cp", "tiny:/etc/motd", "booted-image"])).toEqual({
      code: 1,
      out: "",
      err: "Keyword 'booted-image' is only available with command 'walt node cp'.\n",
    });
    expect(await s.cli("alice", ["image", "cp", "a", "b"])).toEqual({
      code: 1,
      out: "",
      err:
        "Usage:\n$ walt image cp <local_file_path> <image>:<file_path>\nor\n$ walt image cp <image>:<file_path> <local_file_path>\n\n" +
        "Regular files as well as directories are accepted.\n",
    });
    expect(await s.cli("alice", ["image", "cp", "nope:/etc", tmp.path])).toEqual({ code: 1, out: "", err: "Error: No such image 'nope'. (tip: walt image show)\n" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(before);
  });

  test("writing into an image used by nodes asks for confirmation, then says which nodes reboot", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    await new DeviceRepo(s.ctx.db).setNodesImage(["52:54:00:00:00:01"], "alice/tiny:latest");
    const f = join(tmp.path, "f");
    writeFileSync(f, "x\n");
    const before = await s.ctx.images.resolve("alice/tiny:latest");
    const warning = "This operation would reboot 1 node(s) currently using the image.\n";
    expect(await s.cli("alice", ["image", "cp", f, "tiny:/root"], { input: ["n"] })).toEqual({ code: 1, out: "Are you sure? (y/n): \nAborted.\n", err: warning });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(before);
    expect(await s.cli("alice", ["image", "cp", f, "tiny:/root"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\nImage tiny updated.\nTrying to reboot node vn1 using this image...\n",
      err: warning,
    });
    // Reading from the image needs no confirmation.
    expect((await s.cli("alice", ["image", "cp", "tiny:/root/f", join(tmp.path, "g")])).code).toBe(0);
  });

  test("an image with 128 layers cannot be written into (walt image squash)", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeImage(s.ctx.images, "alice/big:latest", { layers: Array.from({ length: 128 }, (_, i) => ({ [`etc/layer-${i}`]: `${i}\n` })) });
    writeFileSync(join(tmp.path, "f"), "x\n");
    expect(await s.cli("alice", ["image", "cp", join(tmp.path, "f"), "big:/etc"])).toEqual({
      code: 1,
      out: "",
      err: "Cannot open image big because it has already reached its max number of layers.\n(tip: walt image squash big)\n",
    });
  });
});

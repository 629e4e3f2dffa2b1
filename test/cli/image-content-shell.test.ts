/**
 * `walt image shell` (WALT §1.5, §4.8) with piped input: a real busybox shell chrooted in a copy of the image,
 * then WALT's save dialogue; the changes become one new layer (deletions as whiteouts).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readLayer } from "../../server/images/build/layer-reader.ts";
import { storeBusyboxImage } from "../helpers/busybox-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const BANNER = "Note: this is a limited virtual environment (with just the shell process).\nRun 'walt help show shells' for more info.\n\n";
const dialogue = (name: string): string =>
  "------\nYou can save changes as a new image, or overwrite this one.\n" +
  `Just press <enter> to reuse the name "${name}" and overwite the image.\n` +
  "You can also press ctrl-C to abort.\n------\nNew image name: ";

async function rootfsOf(s: TestServer, fullname: string): Promise<string> {
  const digest = await s.ctx.images.resolve(fullname);
  if (digest === undefined) throw new Error(`${fullname} is not tagged`);
  return s.ctx.images.rootfs(digest);
}

describe("walt image shell", () => {
  test("commands piped to the shell run in the image and the result is saved under a new name", async () => {
    await using s = await startTestServer();
    const base = await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const r = await s.cli("alice", ["image", "shell", "tiny"], { input: ["echo ok > /root/test", "hostname; pwd; ls /proc/1/ >/dev/null && echo proc", "exit", "tiny-new"] });
    expect(r).toEqual({ code: 0, out: `${BANNER}image-shell\n/root\nproc\n${dialogue("tiny")}New image tiny-new saved.\n`, err: "" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(base);
    const rootfs = await rootfsOf(s, "alice/tiny-new:latest");
    expect(readFileSync(join(rootfs, "root/test"), "utf8")).toBe("ok\n");
    const manifest = await s.ctx.images.manifest((await s.ctx.images.resolve("alice/tiny-new:latest")) ?? "");
    expect(manifest.layers).toHaveLength(2);
    // Only the change is in the new layer: /root and the file (no leftover /proc or /dev mounts).
    const top = await readLayer(s.ctx.images.blobs.path(manifest.layers[1]?.digest ?? ""));
    expect(top.map((e) => `${e.name} ${e.mode.toString(8)}`)).toEqual(["root/ 700", "root/test 644"]);
    // The original image is unchanged, and the session's working copy is gone.
    expect(existsSync(join(await rootfsOf(s, "alice/tiny:latest"), "root/test"))).toBe(false);
    await waitFor(() => readdirSync(join(s.ctx.images.dir, "tmp")).every((f) => !f.startsWith("work-")), "the working copy to be removed");
  });

  test("a file removed in the shell becomes a whiteout and is gone from the overwritten image", async () => {
    await using s = await startTestServer();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const r = await s.cli("alice", ["image", "shell", "tiny"], { input: ["rm /etc/motd", "exit", "", "y"] });
    expect(r).toEqual({
      code: 0,
      out: `${BANNER}${dialogue("tiny")}Selected: tiny\nAre you sure? (y/n): OK.\n\nImage tiny updated.\n`,
      err: "An image has the same name in your working set.\nThis operation would overwrite it.\n",
    });
    const manifest = await s.ctx.images.manifest((await s.ctx.images.resolve("alice/tiny:latest")) ?? "");
    const top = await readLayer(s.ctx.images.blobs.path(manifest.layers[1]?.digest ?? ""));
    expect(top.map((e) => e.name)).toEqual(["etc/", "etc/.wh.motd"]);
    const rootfs = await rootfsOf(s, "alice/tiny:latest");
    expect(existsSync(join(rootfs, "etc/motd"))).toBe(false);
    expect(existsSync(join(rootfs, "etc/passwd"))).toBe(true);
  });

  test("the dialogue re-prompts for an invalid or existing name, and refusing the overwrite asks again", async () => {
    await using s = await startTestServer();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    await storeBusyboxImage(s.ctx.images, "alice/other:latest");
    const r = await s.cli("alice", ["image", "shell", "tiny"], { input: ["touch /root/x", "exit", "Bad_Name", "other", "", "n", "fresh:v1"] });
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${BANNER}${dialogue("tiny")}${dialogue("tiny")}${dialogue("tiny")}Selected: tiny\nAre you sure? (y/n): ${dialogue("tiny")}New image fresh:v1 saved.\n`);
    expect(r.err).toBe(
      "Bad name: expected format is <name> or <name>:<tag>.\nOnly lowercase letters, digits and dash(-) characters are allowed in <name> and <tag>.\n" +
        "Bad name: Image already exists.\n" +
        "An image has the same name in your working set.\nThis operation would overwrite it.\n",
    );
    expect(existsSync(join(await rootfsOf(s, "alice/fresh:v1"), "root/x"))).toBe(true);
  });

  test("the end of input in the dialogue aborts without saving, and the image can be opened again", async () => {
    await using s = await startTestServer();
    const base = await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const r = await s.cli("alice", ["image", "shell", "tiny"], { input: ["touch /root/x"] });
    expect(r).toEqual({ code: 1, out: `${BANNER}${dialogue("tiny")}\nAborted.\n`, err: "" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(base);
    expect((await s.ctx.images.list()).map((i) => i.fullname)).toEqual(["alice/tiny:latest"]);
    const again = await s.cli("alice", ["image", "shell", "tiny"], { input: ["exit", "tiny-2"] });
    expect(again.out.endsWith("New image tiny-2 saved.\n")).toBe(true);
    // Nothing changed: the new name is the same image.
    expect(await s.ctx.images.resolve("alice/tiny-2:latest")).toBe(base);
  });

  test("an unknown image is reported", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["image", "shell", "nope"])).toEqual({ code: 1, out: "", err: "Error: No such image 'nope'. (tip: walt image show)\n" });
  });
});

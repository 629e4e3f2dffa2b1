import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { storeBusyboxImage } from "../../../test/helpers/busybox-image.ts";
import { storeImage } from "../../../test/helpers/oci-image.ts";
import { startTestServer } from "../../../test/helpers/server.ts";
import { ImageService } from "../service/service.ts";
import { labelsOf } from "../store/oci.ts";
import { EditSession } from "./edit-session.ts";
import { ImageContentService } from "./service.ts";

const rejection = async (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: unknown) => (e as Error).message);

describe("image edit sessions", () => {
  test("an image with a session running cannot be opened by another one until it is closed", async () => {
    await using s = await startTestServer();
    const svc = new ImageContentService(s.ctx);
    await storeImage(s.ctx.images, "alice/img:latest");
    const first = await EditSession.open(svc, "alice", "img", "shell session");
    expect(await rejection(EditSession.open(svc, "alice", "img", "file transfer"))).toBe("Cannot open image img because a shell session is already running.");
    // Another user's image of the same name is another image.
    await storeImage(s.ctx.images, "bob/img:latest");
    (await EditSession.open(svc, "bob", "img", "file transfer")).close();
    first.close();
    (await EditSession.open(svc, "alice", "img", "file transfer")).close();
  });

  test("a shell session and a squash exclude each other on the same image (shared busy marks)", async () => {
    await using s = await startTestServer();
    const images = new ImageService(s.ctx);
    const svc = new ImageContentService(s.ctx, { tasks: images.tasks });
    await storeImage(s.ctx.images, "alice/img:latest");
    const session = await EditSession.open(svc, "alice", "img", "shell session");
    expect(await rejection(images.squash("alice", "img", true))).toBe("Cannot open image img because a shell session is already running.");
    session.close();
  });

  test("an image at the layer limit is refused with WALT's tip", async () => {
    await using s = await startTestServer();
    const svc = new ImageContentService(s.ctx);
    await storeImage(s.ctx.images, "alice/big:v1", { layers: Array.from({ length: 128 }, (_, i) => ({ [`f${i}`]: "x" })) });
    expect(await rejection(EditSession.open(svc, "alice", "big:v1", "shell session"))).toBe(
      "Cannot open image big:v1 because it has already reached its max number of layers.\n(tip: walt image squash big:v1)",
    );
    await storeImage(s.ctx.images, "alice/almost:latest", { layers: Array.from({ length: 127 }, (_, i) => ({ [`f${i}`]: "x" })) });
    (await EditSession.open(svc, "alice", "almost", "shell session")).close();
  });

  test("a saved change keeps the labels and config of the image, adds a layer, a diff_id and a history entry", async () => {
    await using s = await startTestServer();
    const svc = new ImageContentService(s.ctx);
    const base = await storeBusyboxImage(s.ctx.images, "alice/tiny:latest", { "walt.node.models": "pc-x86-64,rpi-b", "walt.image.preferred-name": "tiny" });
    const session = await EditSession.open(svc, "alice", "tiny", "shell session");
    const copy = await session.workingCopy("copy");
    writeFileSync(join(copy.root, "etc/added"), "added\n");
    expect(await session.save("tiny-plus", false)).toEqual({ status: "OK", stdout: ["New image tiny-plus saved."], stderr: [] });
    session.close();
    expect(readdirSync(svc.tmp).filter((f) => f.startsWith("work-"))).toEqual([]);
    const digest = (await s.ctx.images.resolve("alice/tiny-plus:latest")) ?? "";
    const [before, after] = [await s.ctx.images.config(base), await s.ctx.images.config(digest)];
    expect(labelsOf(after)).toEqual(labelsOf(before));
    expect(after.rootfs.diff_ids.slice(0, 1)).toEqual(before.rootfs.diff_ids);
    expect(after.rootfs.diff_ids).toHaveLength(2);
    expect(after.history?.at(-1)?.created_by).toBe("walt image shell");
    expect((await s.ctx.images.list()).find((i) => i.fullname === "alice/tiny-plus:latest")?.models).toEqual(["pc-x86-64", "rpi-b"]);
  });
});

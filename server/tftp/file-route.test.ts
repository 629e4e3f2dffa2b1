import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileRoute, staticRoute, type MapPath } from "./file-route.ts";
import { TftpRefusal, type RouteResult, type TftpRoute } from "./routes.ts";
import { waltMapPath } from "./walt-map.ts";

/**
 * A WALT-like layout: the TFTP root holds the per-node tree, whose `tftp` link points into an image root
 * that lives elsewhere (walt-features §3.6).
 */
let base = "";
let root = "";
let images = "";
const IP = "192.168.152.10";

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "walt-tftp-route-"));
  root = join(base, "walt");
  images = join(base, "images");
  const boot = join(images, "img1/fs/boot/pc-x86-64");
  mkdirSync(join(boot, "dir"), { recursive: true });
  mkdirSync(join(root, "nodes/aa:bb:cc:dd:ee:01"), { recursive: true });
  mkdirSync(join(root, "pxe"));
  mkdirSync(join(base, "outside"));
  writeFileSync(join(boot, "kernel"), "KERNEL");
  writeFileSync(join(boot, "start.ipxe"), "#!ipxe");
  writeFileSync(join(images, "img1/fs/initrd.img"), "INITRD");
  symlinkSync("../../initrd.img", join(boot, "initrd"));
  symlinkSync("/etc/passwd", join(boot, "escape-absolute"));
  symlinkSync("../../../../../outside/secret", join(boot, "escape-relative"));
  symlinkSync(join(base, "outside"), join(boot, "outdir"));
  writeFileSync(join(base, "outside/secret"), "SECRET");
  writeFileSync(join(root, "secret.txt"), "ROOT SECRET");
  writeFileSync(join(root, "pxe/walt-x86-undionly.kpxe"), "UNDI");
  symlinkSync(boot, join(root, "nodes/aa:bb:cc:dd:ee:01/tftp"));
  symlinkSync("aa:bb:cc:dd:ee:01", join(root, `nodes/${IP}`));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ask = (route: TftpRoute, path: string, clientIp = IP): Promise<RouteResult> => route.tryServe({ path, clientIp, clientPort: 1234 });
const nodeTree = (): TftpRoute => fileRoute(root, waltMapPath, { name: "node-tree", allowedRoots: [root, images] });

async function content(r: RouteResult): Promise<string> {
  if (!r.handled) throw new Error(`declined: ${r.reason}`);
  const f = await r.open();
  const text = new TextDecoder().decode(await f.read(0, f.size + 10));
  await f.close();
  return text;
}

async function refusal(p: Promise<RouteResult>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TftpRefusal) return err.tftpCode;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("tftp file route over the per-node tree", () => {
  test.each([
    ["kernel", "KERNEL"],
    ["/kernel", "KERNEL"],
    ["boot/pc-x86-64.ipxe", "#!ipxe"],
    ["initrd", "INITRD"],
    ["pxe/walt-x86-undionly.kpxe", "UNDI"],
  ])("serves %s through the node's symlinks", async (path, expected) => {
    expect(await content(await ask(nodeTree(), path))).toBe(expected);
  });

  test.each(["../secret.txt", "../../../secret.txt", "/../../etc/passwd", "kernel/../kernel", "dir/..", "1a2b3c4d/../../x"])(
    "refuses %s (contains ..) with access violation",
    async (path) => {
      expect(await refusal(ask(nodeTree(), path))).toBe(2);
    },
  );

  test.each(["escape-absolute", "escape-relative", "outdir/secret"])("refuses the symlink %s that escapes every allowed root", async (path) => {
    expect(await refusal(ask(nodeTree(), path))).toBe(2);
  });

  test("an absolute path is looked up inside the node tree, never on the host", async () => {
    const r = await ask(nodeTree(), "/etc/passwd");
    expect(r.handled).toBe(false);
  });

  test.each([
    ["missing", IP],
    ["dir", IP],
    ["kernel", "192.168.152.99"],
  ])("declines %s from %s (not found or not a file)", async (path, ip) => {
    const r = await ask(nodeTree(), path, ip);
    expect(r.handled).toBe(false);
  });

  test("an image outside the allowed roots is refused", async () => {
    const strict = fileRoute(root, waltMapPath, { allowedRoots: [join(root, "nodes")] });
    expect(await refusal(ask(strict, "kernel"))).toBe(2);
  });

  test("allowed roots given through a symlink are resolved too", async () => {
    const link = join(base, "images-link");
    symlinkSync(images, link);
    expect(await content(await ask(fileRoute(root, waltMapPath, { allowedRoots: [root, link] }), "kernel"))).toBe("KERNEL");
  });

  test("a map returning null declines", async () => {
    const none: MapPath = () => null;
    expect(await ask(fileRoute(root, none), "kernel")).toEqual({ handled: false, reason: "not mapped" });
  });
});

describe("tftp static route", () => {
  test("serves files under its directory, leading slashes ignored", async () => {
    const r = staticRoute(join(root, "pxe"));
    expect(await content(await ask(r, "//walt-x86-undionly.kpxe"))).toBe("UNDI");
  });

  test("refuses .. and symlinks leaving the directory", async () => {
    const dir = join(base, "static");
    mkdirSync(dir);
    symlinkSync(join(base, "outside/secret"), join(dir, "link"));
    expect(await refusal(ask(staticRoute(dir), "../outside/secret"))).toBe(2);
    expect(await refusal(ask(staticRoute(dir), "link"))).toBe(2);
  });
});

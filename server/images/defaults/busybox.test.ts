/**
 * Builds the busybox test image for real (seconds; the two Debian packages are downloaded once into
 * <tmpdir>/walt-test-cache and reused by later runs).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { silentLogger } from "../../../src/log.ts";
import { DirBlobSink } from "../build/blob-sink.ts";
import { readLayer, type LayerEntry } from "../build/layer-reader.ts";
import { findOciRef } from "../build/oci-layout.ts";
import { buildDefaultLayout } from "./build.ts";
import busyboxInit from "./busybox/init.sh" with { type: "text" };
import { parseCpio, S_IFCHR, S_IFMT } from "./cpio.ts";
import { INITRAMFS_MODULES, INITRAMFS_SCRIPTS, MODULE_ORDER_FILE } from "./initramfs.ts";

const cacheDir = join(tmpdir(), "walt-test-cache");
const work = mkdtempSync(join(tmpdir(), "walt-busybox-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A cold cache downloads ~70 MB and extracts the kernel package: allow for a slow mirror. */
const BUILD_TIMEOUT_MS = 180_000;
const FULLNAME = "waltplatform/pc-x86-64-busybox:latest";
const BOOT = "boot/pc-x86-64";

interface Built {
  layout: string;
  digest: string;
  labels: Record<string, string>;
  entries: Map<string, LayerEntry>;
}

/** The initramfs's own busybox, written out to run `sh -n`. */
function busyboxOf(files: Map<string, { data: Uint8Array }>): string {
  // busybox picks its applet by the name it runs as: keep the name `busybox`.
  mkdirSync(join(work, "initramfs-bin"), { recursive: true });
  const path = join(work, "initramfs-bin", "busybox");
  writeFileSync(path, files.get("bin/busybox")?.data ?? new Uint8Array());
  chmodSync(path, 0o755);
  return path;
}

let once: Promise<Built> | undefined;
/** One build shared by the tests of this file. */
function built(): Promise<Built> {
  once ??= (async () => {
    const layout = join(work, "layout");
    const r = await buildDefaultLayout("busybox", layout, { cacheDir, log: silentLogger });
    const sink = new DirBlobSink(layout);
    const manifest = JSON.parse(readFileSync(sink.path(r.manifestDigest), "utf8")) as { config: { digest: string }; layers: { digest: string }[] };
    const config = JSON.parse(readFileSync(sink.path(manifest.config.digest), "utf8")) as { config: { Labels: Record<string, string> } };
    expect(manifest.layers.length).toBe(1);
    const layer = sink.path(manifest.layers[0]?.digest ?? "");
    const list = await readLayer(layer, new Set(["sbin/init", `${BOOT}/initrd`, `${BOOT}/start.ipxe`]));
    return { layout, digest: r.manifestDigest, labels: config.config.Labels, entries: new Map(list.map((e) => [e.name, e])) };
  })();
  return once;
}

describe("busybox test image recipe", () => {
  test("the image has busybox and its applets, /sbin/init, /persist, /etc/walt, the boot folder and the models label", async () => {
    const { entries, labels } = await built();
    expect(labels["walt.node.models"]).toBe("pc-x86-64");
    expect(entries.get("bin/busybox")).toMatchObject({ type: "file", mode: 0o755, uid: 0, gid: 0 });
    expect(entries.get("bin/sh")).toMatchObject({ type: "symlink", linkname: "busybox" });
    expect(entries.get("usr/bin/awk")).toMatchObject({ type: "symlink", linkname: "../../bin/busybox" });
    const init = entries.get("sbin/init");
    expect(init).toMatchObject({ type: "file", mode: 0o755 });
    expect(Buffer.from(init?.content ?? []).toString()).toBe(busyboxInit);
    expect(entries.get("persist/")?.type).toBe("directory");
    expect(entries.get("etc/walt/")?.type).toBe("directory");
    expect(entries.get("tmp/")?.mode).toBe(0o1777);
    expect(entries.get(`${BOOT}/kernel`)?.size).toBeGreaterThan(4_000_000);
    expect(entries.get(`${BOOT}/initrd`)?.type).toBe("file");
    const ipxe = Buffer.from(entries.get(`${BOOT}/start.ipxe`)?.content ?? []).toString();
    expect(ipxe.startsWith("#!ipxe\n")).toBe(true);
    for (const v of ["${next-server}", "${mac}", "${ip}", "${hostname}"]) expect(ipxe).toContain(v);
    expect(ipxe).toMatch(/^kernel kernel .*walt\.server=\$\{next-server\}/m);
    expect(ipxe).toMatch(/^initrd initrd/m);
    expect([...entries.values()].every((e) => e.uid === 0 && e.gid === 0)).toBe(true);
  }, BUILD_TIMEOUT_MS);

  test("the initramfs is a gzip cpio with /init, /dev/console and every module of its order file, dependencies first", async () => {
    const { entries } = await built();
    const cpio = parseCpio(gunzipSync(entries.get(`${BOOT}/initrd`)?.content ?? new Uint8Array()));
    const files = new Map(cpio.map((e) => [e.name, e]));
    expect(Buffer.from(files.get("init")?.data ?? []).toString()).toBe(INITRAMFS_SCRIPTS.init);
    expect((files.get("init")?.mode ?? 0) & 0o777).toBe(0o755);
    expect(Buffer.from(files.get("bin/walt-udhcpc")?.data ?? []).toString()).toBe(INITRAMFS_SCRIPTS.udhcpc);
    // walt-prefetch, compiled from initramfs/prefetch.c: a static ELF (prefetch.test.ts runs it).
    expect(Buffer.from(files.get("bin/walt-prefetch")?.data ?? []).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect((files.get("bin/walt-prefetch")?.mode ?? 0) & 0o777).toBe(0o755);
    const console = files.get("dev/console");
    expect([(console?.mode ?? 0) & S_IFMT, console?.rdevMajor, console?.rdevMinor]).toEqual([S_IFCHR, 5, 1]);
    expect(files.has("bin/busybox")).toBe(true);
    // The applets /init uses (paths as Debian's busybox-static --list-full gives them).
    for (const applet of ["bin/sh", "bin/mount", "bin/hostname", "bin/cttyhack", "sbin/switch_root", "sbin/insmod", "sbin/udhcpc", "sbin/ip", "usr/bin/setsid", "usr/bin/wget"]) {
      expect(`${applet}: ${files.has(applet)}`).toBe(`${applet}: true`);
    }
    const order = Buffer.from(files.get(MODULE_ORDER_FILE)?.data ?? []).toString().trim().split("\n");
    for (const m of order) expect(files.get(`lib/modules/${m}`)?.data.byteLength ?? 0).toBeGreaterThan(0);
    const basenames = order.map((m) => m.split("/").pop()?.replace(/\.ko(\.\w+)?$/, "").replace(/-/g, "_"));
    for (const wanted of INITRAMFS_MODULES) expect(basenames).toContain(wanted);
    const at = (m: string): number => basenames.indexOf(m);
    expect(at("virtio")).toBeLessThan(at("virtio_net"));
    expect(at("sunrpc")).toBeLessThan(at("nfs"));
    expect(at("nfs")).toBeLessThan(at("nfsv4"));
    expect(new Set(order).size).toBe(order.length);
    // The scripts parse with the busybox shell that runs them.
    for (const script of ["init", "bin/walt-udhcpc"]) {
      const path = join(work, script.replace("/", "-"));
      writeFileSync(path, files.get(script)?.data ?? new Uint8Array());
      const sh = Bun.spawn([busyboxOf(files), "sh", "-n", path], { stderr: "pipe" });
      expect(`${script}: ${await sh.exited} ${await new Response(sh.stderr).text()}`).toBe(`${script}: 0 `);
    }
  }, BUILD_TIMEOUT_MS);

  test("a second build into the same layout is skipped, and a fresh layout gets the same digest", async () => {
    const first = await built();
    const again = await buildDefaultLayout("busybox", first.layout, { cacheDir, log: silentLogger });
    expect(again).toEqual({ built: false, manifestDigest: first.digest, fullname: FULLNAME });
    const fresh = await buildDefaultLayout("busybox", join(work, "fresh"), { cacheDir, log: silentLogger });
    expect(fresh).toEqual({ built: true, manifestDigest: first.digest, fullname: FULLNAME });
    expect((await findOciRef(first.layout, FULLNAME))?.annotations?.["walt.recipe.hash"]).toMatch(/^[0-9a-f]{64}$/);
  }, BUILD_TIMEOUT_MS);

  test("umoci unpacks the busybox layout with a runnable /sbin/init", async () => {
    const { layout } = await built();
    const umoci = Bun.which("umoci");
    if (!umoci) throw new Error("umoci is not installed: run `apt-get install umoci` (Debian package umoci)");
    const bundle = join(work, "bundle");
    const p = Bun.spawn([umoci, "unpack", "--rootless", "--image", `${layout}:${FULLNAME}`, bundle], { stdout: "pipe", stderr: "pipe" });
    const err = await new Response(p.stderr).text();
    expect(`${await p.exited} ${err}`).toBe("0 ");
    const sh = Bun.spawn([join(bundle, "rootfs/bin/busybox"), "sh", "-n", join(bundle, "rootfs/sbin/init")], { stderr: "pipe" });
    expect(await sh.exited).toBe(0);
    expect(readFileSync(join(bundle, "rootfs", BOOT, "start.ipxe"), "utf8").startsWith("#!ipxe")).toBe(true);
  }, BUILD_TIMEOUT_MS);
});

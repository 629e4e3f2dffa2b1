import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { WaltError } from "../../../src/errors.ts";
import { createLogger } from "../../../src/log.ts";
import { BlobStore } from "./blobs.ts";
import { dir, file, hardlink, layerOf, opaque, rejection, storeImage, symlink, treeOf, whiteout, type FixtureEntry, type FixtureLayer } from "./fixtures.ts";
import { MediaType } from "./oci.ts";
import { unpackImage } from "./unpack.ts";

const IMAGE = "alice/test:latest";
const isRoot = process.getuid?.() === 0;

/** Store `layers` and unpack them; returns the dest dir, the tmp dir and the refusal if any. */
async function unpack(base: string, layers: FixtureLayer[], log: string[] = []): Promise<{ dest: string; tmp: string; error?: WaltError }> {
  const blobs = new BlobStore(join(base, "oci"), join(base, "tmp"));
  const img = await storeImage(blobs, layers);
  const dest = join(base, "rootfs");
  const tmp = join(base, "tmp");
  try {
    await unpackImage({ blobs, layers: img.layers, dest, imageName: IMAGE, tmpRoot: tmp, log: createLogger({ level: "debug", write: (l) => log.push(l) }) });
  } catch (e) {
    if (!(e instanceof WaltError)) throw e;
    return { dest, tmp, error: e };
  }
  return { dest, tmp };
}

/** The base layer used by the whiteout tests. */
const baseLayer = (): FixtureEntry[] => [
  dir("etc"),
  file("etc/keep", "keep"),
  file("etc/gone", "gone"),
  dir("opt"),
  file("opt/old", "old"),
  dir("opt/sub"),
  file("opt/sub/old2", "old2"),
  dir("var"),
  file("var/a", "a"),
];

describe("unpackImage", () => {
  test("a 2-layer image with a file whiteout and an opaque directory unpacks to exactly the expected tree", async () => {
    using d = tempDir();
    const upper: FixtureEntry[] = [
      file("opt/new", "written before the opaque marker"), // same layer: must survive the marker
      whiteout("etc/gone"),
      opaque("opt"),
      file("opt/new2", "after"),
      file("etc/added", "added"),
    ];
    const { dest, tmp } = await unpack(d.path, [await layerOf(baseLayer()), await layerOf(upper)]);
    expect(treeOf(dest)).toEqual([
      "etc/ 0755",
      'etc/added 0644 n=1 "added"',
      'etc/keep 0644 n=1 "keep"',
      "opt/ 0755",
      'opt/new 0644 n=1 "written before the opaque marker"',
      'opt/new2 0644 n=1 "after"',
      "var/ 0755",
      'var/a 0644 n=1 "a"',
    ]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("hard links share an inode and symlinks keep their targets, dangling or absolute", async () => {
    using d = tempDir();
    const layer = [dir("bin"), file("bin/busybox", "BB", 0o755), hardlink("bin/sh", "bin/busybox"), hardlink("./bin/ls", "./bin/busybox"), symlink("bin/rel", "busybox"), symlink("abs", "/bin/busybox"), symlink("dangling", "nowhere")];
    const { dest } = await unpack(d.path, [await layerOf(layer)]);
    const ino = statSync(join(dest, "bin/busybox")).ino;
    expect(statSync(join(dest, "bin/sh")).ino).toBe(ino);
    expect(statSync(join(dest, "bin/ls")).ino).toBe(ino);
    expect(treeOf(dest)).toEqual(["abs -> /bin/busybox", "bin/ 0755", 'bin/busybox 0755 n=3 "BB"', 'bin/ls 0755 n=3 "BB"', "bin/rel -> busybox", 'bin/sh 0755 n=3 "BB"', "dangling -> nowhere"]);
  });

  test("modes (setuid, sticky, read-only dirs), mtimes and owners are preserved", async () => {
    using d = tempDir();
    const mtime = new Date("2001-02-03T04:05:06Z");
    const layer = [
      dir("ro", 0o555, { mtime }),
      file("ro/inside", "x", 0o600, { uid: 1000, gid: 1001 }),
      dir("tmp", 0o1777),
      file("su", "", 0o4755, { uid: 0, gid: 0, mtime }),
      file("sg", "", 0o2711),
      file("p", "", 0o644, { pax: { mtime: "1000000000.25", uid: "3000000", gid: "3000001" } }),
    ];
    const { dest } = await unpack(d.path, [await layerOf(layer)]);
    expect(treeOf(dest)).toEqual(['p 0644 n=1 ""', 'ro/ 0555', 'ro/inside 0600 n=1 "x"', 'sg 2711 n=1 ""', 'su 4755 n=1 ""', "tmp/ 1777"]);
    expect(statSync(join(dest, "ro")).mtime.getTime()).toBe(mtime.getTime());
    expect(statSync(join(dest, "su")).mtime.getTime()).toBe(mtime.getTime());
    expect(statSync(join(dest, "p")).mtimeMs).toBe(1_000_000_000_250);
    if (isRoot) {
      expect([statSync(join(dest, "ro/inside")).uid, statSync(join(dest, "ro/inside")).gid]).toEqual([1000, 1001]);
      expect([statSync(join(dest, "p")).uid, statSync(join(dest, "p")).gid]).toEqual([3_000_000, 3_000_001]);
    }
  });

  test("a later layer replaces files by directories, directories by files and symlinks by directories", async () => {
    using d = tempDir();
    const lower = [file("f", "file"), dir("d"), file("d/x", "x"), dir("real"), symlink("l", "real")];
    const upper = [dir("f"), file("f/y", "y"), file("d", "now a file"), dir("l"), file("l/z", "z")];
    const { dest } = await unpack(d.path, [await layerOf(lower), await layerOf(upper)]);
    expect(treeOf(dest)).toEqual(['d 0644 n=1 "now a file"', "f/ 0755", 'f/y 0644 n=1 "y"', "l/ 0755", 'l/z 0644 n=1 "z"', "real/ 0755"]);
  });

  test("writes through a symlink stay inside the root, an absolute target being relative to it", async () => {
    using d = tempDir();
    const layer = [dir("run"), dir("var"), symlink("var/run", "/run"), file("var/run/pid", "1"), symlink("lib", "usr/lib"), dir("usr"), dir("usr/lib"), file("lib/libc.so", "c")];
    const { dest } = await unpack(d.path, [await layerOf(layer)]);
    expect(readFileSync(join(dest, "run/pid"), "utf8")).toBe("1");
    expect(readFileSync(join(dest, "usr/lib/libc.so"), "utf8")).toBe("c");
  });

  const refusals: [string, FixtureEntry[], string, string][] = [
    ["an entry climbing out with ..", [dir("a"), file("a/../../x", "evil")], "a/../../x", "its path leaves the image root"],
    ["an absolute entry", [file("/abs", "evil")], "/abs", "it is an absolute path"],
    ["a hard link to a file out of the root", [hardlink("passwd", "../../etc/passwd")], "passwd", "its hard link target '../../etc/passwd' is outside the image root"],
    ["an absolute hard link target", [hardlink("passwd", "/etc/passwd")], "passwd", "its hard link target '/etc/passwd' is outside the image root"],
    ["a write through an escaping symlink", [symlink("esc", "../../.."), file("esc/pwned", "evil")], "esc/pwned", "its parent 'esc' is a symbolic link pointing out of the image root"],
  ];
  for (const [what, entries, entry, reason] of refusals) {
    test(`${what} is refused with the image name and entry, and nothing is left`, async () => {
      using d = tempDir();
      mkdirSync(join(d.path, "work"));
      const { dest, tmp, error } = await unpack(join(d.path, "work"), [await layerOf([file("ok", "fine"), ...entries])]);
      expect(error?.code).toBe("BAD_REQUEST");
      expect(error?.message).toBe(`Refusing layer entry '${entry}' of image ${IMAGE}: ${reason}.`);
      expect(existsSync(dest)).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
      expect(readdirSync(d.path)).toEqual(["work"]);
    });
  }

  test("zstd and uncompressed layers unpack like gzip ones", async () => {
    using d = tempDir();
    const layers = [await layerOf([dir("z"), file("z/a", "zstd")], "zstd"), await layerOf([file("plain", "tar")], "none"), await layerOf([file("g", "gzip")], "gzip")];
    expect(layers.map((l) => l.mediaType)).toEqual([MediaType.ociLayerZstd, MediaType.ociLayer, MediaType.ociLayerGzip]);
    const { dest } = await unpack(d.path, layers);
    expect(treeOf(dest)).toEqual(['g 0644 n=1 "gzip"', 'plain 0644 n=1 "tar"', "z/ 0755", 'z/a 0644 n=1 "zstd"']);
  });

  test("a large file is streamed through in chunks and arrives whole", async () => {
    using d = tempDir();
    const big = "0123456789abcdef".repeat(1 << 18); // 4 MiB
    const { dest } = await unpack(d.path, [await layerOf([file("big", big)], "zstd")]);
    expect(readFileSync(join(dest, "big"), "utf8")).toBe(big);
  });

  test("a truncated layer fails and removes the partial tree", async () => {
    using d = tempDir();
    const good = await layerOf([file("a", "ok"), file("b", randomBytes(50_000).toString("hex"))], "none");
    const gz = gzipSync(good.bytes);
    const truncated: FixtureLayer = { bytes: gz.subarray(0, gz.length >> 1), mediaType: MediaType.ociLayerGzip, diffId: good.diffId };
    const blobs = new BlobStore(join(d.path, "oci"), join(d.path, "tmp"));
    const img = await storeImage(blobs, [truncated]);
    const dest = join(d.path, "rootfs");
    expect((await rejection(unpackImage({ blobs, layers: img.layers, dest, imageName: IMAGE, tmpRoot: join(d.path, "tmp") }))).message).toMatch(/^Layer sha256:[0-9a-f]{64} of image alice\/test:latest is corrupt: unexpected end of file\.$/);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(join(d.path, "tmp"))).toEqual([]);
  });

  test("a plain tar cut inside a member's data is refused, one lacking only its final padding is accepted (umoci writes those)", async () => {
    const full = await layerOf([file("a", "ok"), file("b", "b".repeat(100_000))], "none");
    const cut = (n: number): FixtureLayer => ({ ...full, bytes: full.bytes.subarray(0, n) });
    using d1 = tempDir();
    const mid = await unpack(d1.path, [cut(3 * 512 + 5000)]);
    expect(mid.error?.message).toMatch(/^Layer sha256:[0-9a-f]{64} of image alice\/test:latest is corrupt: .+\.$/);
    expect(existsSync(join(d1.path, "rootfs"))).toBe(false);
    using d2 = tempDir();
    const { dest } = await unpack(d2.path, [cut(3 * 512 + 100_000)]);
    expect(readFileSync(join(dest, "b"), "utf8")).toHaveLength(100_000);
  });

  test("fifos are created, device nodes too when root (else skipped with a debug log), xattrs best effort", async () => {
    using d = tempDir();
    const log: string[] = [];
    const layer: FixtureEntry[] = [
      { name: "fifo", type: "fifo", mode: 0o600 },
      { name: "null", type: "character-device", mode: 0o666, devmajor: 1, devminor: 3 },
      file("attr", "x", 0o644, { pax: { "SCHILY.xattr.user.walt": "yes" } }),
    ];
    const { dest } = await unpack(d.path, [await layerOf(layer)], log);
    expect(lstatSync(join(dest, "fifo")).isFIFO()).toBe(true);
    if (isRoot) {
      const st = lstatSync(join(dest, "null"));
      expect(st.isCharacterDevice()).toBe(true);
      expect([st.rdev >> 8, st.rdev & 0xff]).toEqual([1, 3]);
    } else {
      expect(existsSync(join(dest, "null"))).toBe(false);
      expect(log.some((l) => l.includes("device node skipped"))).toBe(true);
    }
    expect(readFileSync(join(dest, "attr"), "utf8")).toBe("x");
    if (Bun.which("setfattr") === null) expect(log.some((l) => l.includes("xattrs skipped"))).toBe(true);
  });
});

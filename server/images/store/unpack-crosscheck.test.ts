/**
 * Our unpacker against reference tools on the same inputs: umoci (the OCI reference unpacker) on an OCI
 * layout written by our layout module, and a layer compressed by the `zstd` command line tool.
 * The tools are required (Debian packages umoci and zstd): a missing tool fails the test, it never skips.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { BlobStore, sha256Digest } from "./blobs.ts";
import { dir, file, hardlink, layerOf, opaque, requireTool, storeImage, symlink, tarOf, treeOf, whiteout, type FixtureEntry } from "./fixtures.ts";
import { writeLayout } from "./layout.ts";
import { MediaType } from "./oci.ts";
import { unpackImage } from "./unpack.ts";

const isRoot = process.getuid?.() === 0;
const T2 = new Date("2010-01-01T00:00:00Z");

const base: FixtureEntry[] = [
  dir("bin"),
  file("bin/busybox", "BB", 0o755),
  hardlink("bin/sh", "bin/busybox"),
  symlink("bin/ls", "busybox"),
  dir("etc", 0o755, { mtime: T2 }),
  file("etc/passwd", "root:x:0:0", 0o644),
  file("etc/shadow", "secret", 0o640, { uid: 0, gid: 42 }),
  file("etc/old", "to be deleted"),
  dir("opt"),
  file("opt/lower", "hidden by the opaque marker"),
  dir("opt/sub"),
  file("opt/sub/deep", "also hidden"),
  dir("tmp", 0o1777),
  dir("home"),
  dir("home/user", 0o700, { uid: 1000, gid: 1000 }),
  file("home/user/.profile", "PS1", 0o600, { uid: 1000, gid: 1000 }),
  file("usr-bin-su", "", 0o4755),
  { name: "dev-fifo", type: "fifo", mode: 0o644, mtime: T2 },
  ...(isRoot ? [{ name: "dev-null", type: "character-device", mode: 0o666, devmajor: 1, devminor: 3, mtime: T2 } as FixtureEntry] : []),
];

const upper: FixtureEntry[] = [
  whiteout("etc/old"),
  opaque("opt"),
  file("opt/upper", "new"),
  file("etc/passwd", "root:x:0:0\nuser:x:1000:1000", 0o644),
  hardlink("bin/cat", "bin/busybox"),
  dir("srv", 0o555, { mtime: T2 }),
];

describe("cross-check with reference tools", () => {
  test("our unpack of a 2-layer image equals umoci's unpack of the same OCI layout", async () => {
    const umoci = requireTool("umoci", "umoci");
    using d = tempDir();
    const blobs = new BlobStore(join(d.path, "oci"), join(d.path, "tmp"));
    // umoci 0.4 reads gzip and plain tar layers (not zstd): one of each.
    const img = await storeImage(blobs, [await layerOf(base, "gzip"), await layerOf(upper, "none")]);
    await writeLayout(join(d.path, "oci"), [{ fullname: "alice/cross:latest", digest: img.digest, size: img.bytes.length, mediaType: MediaType.ociManifest }], join(d.path, "tmp"));
    const args = [umoci, "unpack", ...(isRoot ? [] : ["--rootless"]), "--image", `${join(d.path, "oci")}:alice/cross:latest`, join(d.path, "bundle")];
    const proc = Bun.spawnSync(args, { stderr: "pipe" });
    expect(proc.stderr.toString()).toBe("");
    expect(proc.exitCode).toBe(0);
    await unpackImage({ blobs, layers: img.layers, dest: join(d.path, "ours"), imageName: "alice/cross:latest", tmpRoot: join(d.path, "tmp") });
    const opts = { owners: isRoot, times: true };
    const ours = treeOf(join(d.path, "ours"), opts);
    expect(ours).toEqual(treeOf(join(d.path, "bundle", "rootfs"), opts));
    expect(ours.some((l) => l.startsWith("opt/lower") || l.startsWith("etc/old"))).toBe(false);
    expect(ours.length).toBeGreaterThan(15);
  });

  test("a layer compressed by the zstd command line tool unpacks", async () => {
    const zstd = requireTool("zstd", "zstd");
    using d = tempDir();
    const tarPath = join(d.path, "layer.tar");
    const big = "line of text\n".repeat(200_000);
    const tarBytes = await tarOf([dir("data"), file("data/big", big), file("data/small", "s")]);
    await Bun.write(tarPath, tarBytes);
    const proc = Bun.spawnSync([zstd, "-q", "-19", "--no-progress", tarPath, "-o", `${tarPath}.zst`], { stderr: "pipe" });
    expect(proc.exitCode).toBe(0);
    const layer = { bytes: await Bun.file(`${tarPath}.zst`).bytes(), mediaType: MediaType.ociLayerZstd, diffId: sha256Digest(tarBytes) };
    const blobs = new BlobStore(join(d.path, "oci"), join(d.path, "tmp"));
    const img = await storeImage(blobs, [layer]);
    await unpackImage({ blobs, layers: img.layers, dest: join(d.path, "ours"), imageName: "alice/zstd:latest", tmpRoot: join(d.path, "tmp") });
    expect(await Bun.file(join(d.path, "ours", "data", "big")).text()).toBe(big);
    expect(treeOf(join(d.path, "ours"))).toEqual(["data/ 0755", `data/big 0644 n=1 ${JSON.stringify(big.slice(0, 40))}`, 'data/small 0644 n=1 "s"']);
  });
});

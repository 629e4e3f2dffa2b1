import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { DirBlobSink } from "./blob-sink.ts";
import { writeImage } from "./image-writer.ts";
import { writeLayer } from "./layer-writer.ts";
import { findOciRef, readOciIndex, writeOciLayout } from "./oci-layout.ts";

const T = new Date("2024-05-01T12:00:00Z");

/** type, permission bits, mtime, content hash or link target of every path under `root`; hard links as inode groups. */
function describeTree(root: string): { entries: Record<string, string>; hardLinks: string[][] } {
  const entries: Record<string, string> = {};
  const inodes = new Map<number, string[]>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = join(root, r);
      const st = lstatSync(p);
      const perm = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        entries[r] = `dir ${perm}`;
        walk(r);
      } else if (st.isSymbolicLink()) entries[r] = `symlink -> ${readlinkSync(p)}`;
      else if (st.isFIFO()) entries[r] = `fifo ${perm}`;
      else {
        const sum = createHash("sha256").update(readFileSync(p)).digest("hex").slice(0, 16);
        entries[r] = `file ${perm} ${Math.floor(st.mtimeMs / 1000)} ${sum}`;
        if (st.nlink > 1) inodes.set(st.ino, [...(inodes.get(st.ino) ?? []), r]);
      }
    }
  };
  walk("");
  return { entries, hardLinks: [...inodes.values()].map((g) => g.sort()).sort() };
}

async function run(cmd: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code: await p.exited, out: out + err };
}

function makeBase(root: string): void {
  mkdirSync(join(root, "bin"), { recursive: true });
  mkdirSync(join(root, "etc/walt"), { recursive: true });
  mkdirSync(join(root, "persist"));
  writeFileSync(join(root, "bin/busybox"), Buffer.alloc(100_000, 3));
  chmodSync(join(root, "bin/busybox"), 0o755);
  symlinkSync("busybox", join(root, "bin/sh"));
  linkSync(join(root, "bin/busybox"), join(root, "bin/busybox.hard"));
  writeFileSync(join(root, "etc/walt/secret"), "s");
  chmodSync(join(root, "etc/walt/secret"), 0o600);
  writeFileSync(join(root, "etc/motd"), "hello\n");
  utimesSync(join(root, "bin/busybox"), T, T);
  utimesSync(join(root, "etc/motd"), T, T);
  utimesSync(join(root, "etc/walt/secret"), T, T);
}

describe("OCI layout export", () => {
  test("umoci unpacks a two-layer image of our layout to exactly the expected tree", async () => {
    const umoci = Bun.which("umoci");
    if (!umoci) throw new Error("umoci is not installed: run `apt-get install umoci` (Debian package umoci) to cross-check OCI layouts");
    using d = tempDir();
    const base = join(d.path, "base");
    const top = join(d.path, "top");
    const expected = join(d.path, "expected");
    makeBase(base);
    makeBase(expected);
    mkdirSync(join(top, "etc"), { recursive: true });
    writeFileSync(join(top, "etc/motd"), "replaced\n");
    writeFileSync(join(expected, "etc/motd"), "replaced\n");
    utimesSync(join(top, "etc/motd"), T, T);
    utimesSync(join(expected, "etc/motd"), T, T);
    utimesSync(join(top, "etc"), T, T);

    const layout = join(d.path, "layout");
    const out = new DirBlobSink(layout);
    // Debian's umoci 0.4.7 reads gzip and plain tar layers, not zstd ones.
    const layers = [await writeLayer(base, out), await writeLayer(top, out, { compression: "none" })];
    const image = await writeImage({ layers, labels: { "walt.node.models": "pc-x86-64" }, created: T, architecture: "amd64", os: "linux", cmd: ["/bin/sh"], out });
    const ref = "waltplatform/pc-x86-64-test:latest";
    await writeOciLayout(layout, ref, image, { annotations: { "walt.recipe.hash": "abc" } });

    const bundle = join(d.path, "bundle");
    const r = await run([umoci, "unpack", "--rootless", "--image", `${layout}:${ref}`, bundle]);
    expect(r.out).toBe(r.code === 0 ? r.out : "umoci unpack succeeds");
    const got = describeTree(join(bundle, "rootfs"));
    const want = describeTree(expected);
    expect(got.entries).toEqual(want.entries);
    expect(got.hardLinks).toEqual([["bin/busybox", "bin/busybox.hard"]]);
    const config = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8")) as { process: { args: string[] } };
    expect(config.process.args).toEqual(["/bin/sh"]);
    expect((await findOciRef(layout, ref))?.annotations?.["walt.recipe.hash"]).toBe("abc");
  });

  test("tagging a second image keeps the first; re-tagging a name replaces its entry", async () => {
    using d = tempDir();
    const layout = join(d.path, "layout");
    const out = new DirBlobSink(layout);
    mkdirSync(join(d.path, "t"));
    writeFileSync(join(d.path, "t/f"), "x");
    const layer = await writeLayer(join(d.path, "t"), out);
    const mk = (models: string) => writeImage({ layers: [layer], labels: { "walt.node.models": models }, created: T, architecture: "amd64", os: "linux", out });
    const a = await mk("pc-x86-64");
    const b = await mk("rpi-b");
    await writeOciLayout(layout, "u/a:latest", a);
    await writeOciLayout(layout, "u/b:latest", b);
    await writeOciLayout(layout, "u/a:latest", b);
    const index = await readOciIndex(layout);
    expect(index.map((m) => [m.annotations?.["org.opencontainers.image.ref.name"], m.digest])).toEqual([
      ["u/b:latest", b.manifestDigest],
      ["u/a:latest", b.manifestDigest],
    ]);
    expect(JSON.parse(readFileSync(join(layout, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
  });

  test("a layout missing one of the image's blobs is refused", async () => {
    using d = tempDir();
    mkdirSync(join(d.path, "t"));
    writeFileSync(join(d.path, "t/f"), "x");
    const elsewhere = new DirBlobSink(join(d.path, "elsewhere"));
    const layer = await writeLayer(join(d.path, "t"), elsewhere);
    const layout = join(d.path, "layout");
    const image = await writeImage({ layers: [layer], labels: {}, created: T, architecture: "amd64", os: "linux", out: new DirBlobSink(layout) });
    let error: unknown;
    await writeOciLayout(layout, "u/a:latest", image).catch((e: unknown) => (error = e));
    expect(String(error)).toContain(`misses blob ${layer.digest}`);
    expect(lstatSync(layout).isDirectory()).toBe(true);
  });
});

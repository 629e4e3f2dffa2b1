/**
 * `walt image build` (WALT §1.5, §4.7) with the real buildah (`buildah --storage-driver vfs bud --isolation chroot`):
 * FROM lines resolved against the working set (our busybox test image), RUN executed, result imported and tagged.
 * buildah missing or not working here makes these tests fail with its message, never skip.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { storeBusyboxImage } from "../helpers/busybox-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { tempDir } from "../helpers/tmp.ts";

async function rootfsOf(s: TestServer, fullname: string): Promise<string> {
  const digest = await s.ctx.images.resolve(fullname);
  if (digest === undefined) throw new Error(`${fullname} is not tagged`);
  return s.ctx.images.rootfs(digest);
}

function buildDir(parent: string, dockerfile: string, files: Record<string, string> = {}): string {
  const dir = join(parent, "ctx");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const stepLines = (out: string): string[] => out.split("\n").filter((l) => l.startsWith("** ") || l === "OK");

describe("walt image build", () => {
  test("a Dockerfile FROM an image of the working set is built, its RUN output is in the new image", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    const base = await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const dir = buildDir(tmp.path, "FROM tiny\nRUN echo OK > /root/test-result\nCOPY hello.txt /etc/hello.txt\n", { "hello.txt": "hello\n" });
    const r = await s.cli("alice", ["image", "build", "--from-dir", dir, "built"]);
    expect(r.err).not.toContain("FAILED");
    expect(r.code).toBe(0);
    expect(stepLines(r.out)).toEqual([
      "** Receiving the client directory content",
      "** Verifying the repository",
      "** Building the image",
      "** Verifying the image",
      "OK",
    ]);
    expect(r.out).toContain("RUN echo OK > /root/test-result");
    const rootfs = await rootfsOf(s, "alice/built:latest");
    expect(readFileSync(join(rootfs, "root/test-result"), "utf8")).toBe("OK\n");
    expect(readFileSync(join(rootfs, "etc/hello.txt"), "utf8")).toBe("hello\n");
    // The base layer is shared with the base image, not stored again; the build's scratch space is gone.
    const built = await s.ctx.images.manifest((await s.ctx.images.resolve("alice/built:latest")) ?? "");
    expect(built.layers[0]?.digest).toBe((await s.ctx.images.manifest(base)).layers[0]?.digest ?? "");
    expect(readdirSync(join(s.ctx.images.dir, "tmp")).filter((f) => f.startsWith("build-"))).toEqual([]);
    expect((await s.ctx.images.list()).find((i) => i.fullname === "alice/built:latest")?.models).toEqual(["pc-x86-64"]);
  });

  test("rebuilding an existing image asks for confirmation of the overwrite", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const dir = buildDir(tmp.path, "FROM tiny\nRUN echo again > /root/again\n");
    const before = await s.ctx.images.resolve("alice/tiny:latest");
    const refused = await s.cli("alice", ["image", "build", "--from-dir", dir, "tiny"], { input: ["n"] });
    expect(refused).toEqual({ code: 1, out: "Are you sure? (y/n): \nAborted.\n", err: "An image has the same name in your working set.\nThis operation would overwrite it.\n" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(before);
    const r = await s.cli("alice", ["image", "build", "--from-dir", dir, "tiny"], { input: ["y"] });
    expect(r.err.startsWith("An image has the same name in your working set.\nThis operation would overwrite it.\n")).toBe(true);
    expect(r.out.startsWith("Are you sure? (y/n): OK.\n\n** Receiving the client directory content\n")).toBe(true);
    expect(r.code).toBe(0);
    expect(readFileSync(join(await rootfsOf(s, "alice/tiny:latest"), "root/again"), "utf8")).toBe("again\n");
  });

  test("a git repository sub-directory is cloned and built (--from-url --sub-dir)", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    await storeBusyboxImage(s.ctx.images, "alice/tiny:latest");
    const repo = join(tmp.path, "repo");
    buildDir(join(repo, "images"), "FROM tiny\nRUN echo from-git > /root/origin\n");
    const git = (...args: string[]): void => {
      const r = Bun.spawnSync(["git", "-C", repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
      if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
    };
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "build recipe");
    const r = await s.cli("alice", ["image", "build", "--from-url", `file://${repo}`, "--sub-dir", "/images/ctx/", "from-git"]);
    expect(r.err).not.toContain("FAILED");
    expect(r.code).toBe(0);
    expect(stepLines(r.out)[0]).toBe(`** Cloning the git repository at file://${repo}`);
    expect(readFileSync(join(await rootfsOf(s, "alice/from-git:latest"), "root/origin"), "utf8")).toBe("from-git\n");
    const missing = await s.cli("alice", ["image", "build", "--from-url", `file://${repo}`, "--sub-dir", "nope", "x"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No such directory "nope".\nSorry, image build FAILED.\n');
    expect(missing.out.endsWith("See 'walt help show image-build' for help.\n")).toBe(true);
  });

  test("a directory without a Dockerfile, or an image without walt.node.models, fails with WALT's messages", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    const empty = join(tmp.path, "empty");
    mkdirSync(empty);
    writeFileSync(join(empty, "README"), "nothing to build\n");
    expect(await s.cli("alice", ["image", "build", "--from-dir", empty, "x"])).toEqual({
      code: 1,
      out:
        "** Receiving the client directory content\n** Verifying the repository\n" +
        "FAILED: the specified directory does not contain a Dockerfile or ContainerFile.\nSee 'walt help show image-build' for help.\n",
      err: "Sorry, image build FAILED.\n",
    });
    const dir = buildDir(join(tmp.path, "nolabel"), "FROM scratch\nCOPY file /file\n", { file: "content\n" });
    const r = await s.cli("alice", ["image", "build", "--from-dir", dir, "unlabelled"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("FAILED: The image is missing a 'LABEL walt.node.models=<models>' to indicate compatibility.\nSorry, image build FAILED.\n");
    expect(await s.ctx.images.resolve("alice/unlabelled:latest")).toBeUndefined();
  });

  test("option and name errors are WALT's", async () => {
    await using s = await startTestServer();
    using tmp = tempDir();
    expect(await s.cli("alice", ["image", "build", "x"])).toEqual({
      code: 1,
      out: "You must specify 1 of the options --from-url and --from-dir.\nSee 'walt help show image-build' for more info.\n",
      err: "",
    });
    expect(await s.cli("alice", ["image", "build", "--from-dir", tmp.path, "--sub-dir", "a", "x"])).toEqual({
      code: 1,
      out: "Option --sub-dir is only supported when combined with --from-url.\n",
      err: "",
    });
    expect(await s.cli("alice", ["image", "build", "--from-dir", join(tmp.path, "nope"), "x"])).toEqual({
      code: 1,
      out: `[Errno 2] No such file or directory: '${join(tmp.path, "nope")}'\nSee 'walt help show image-build' for help.\n`,
      err: "",
    });
    expect(await s.cli("alice", ["image", "build", "--from-dir", tmp.path, "default"])).toEqual({ code: 1, out: "", err: "Sorry 'default' is a reserved keyword.\n" });
  });
});

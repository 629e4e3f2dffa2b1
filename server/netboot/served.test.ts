import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { tempDir } from "../../test/helpers/tmp.ts";
import type { Mounter, OverlaySpec } from "./mounter.ts";
import { binDirOf, resolveInImage, ServedRoots, sharedLibraries } from "./served.ts";

function recordingMounter(): Mounter & { mounts: OverlaySpec[]; umounts: string[] } {
  const m = {
    mounts: [] as OverlaySpec[],
    umounts: [] as string[],
    mountOverlay: (o: OverlaySpec) => {
      m.mounts.push(o);
      return Promise.resolve();
    },
    umount: (t: string) => {
      m.umounts.push(t);
      return Promise.resolve();
    },
    isMounted: () => Promise.resolve(false),
  };
  return m;
}

describe("served image roots", () => {
  test("paths are resolved through the image's own symlinks (merged /usr), never the host's", () => {
    using t = tempDir();
    mkdirSync(join(t.path, "usr", "bin"), { recursive: true });
    mkdirSync(join(t.path, "usr", "lib", "x86_64-linux-gnu"), { recursive: true });
    symlinkSync("usr/bin", join(t.path, "bin"));
    symlinkSync("/usr/lib", join(t.path, "lib"));
    expect(binDirOf(t.path)).toBe("usr/bin");
    expect(resolveInImage(t.path, "/lib/x86_64-linux-gnu/libc.so.6")).toBe("usr/lib/x86_64-linux-gnu/libc.so.6");
    expect(resolveInImage(t.path, "/lib64/ld-linux-x86-64.so.2")).toBe("lib64/ld-linux-x86-64.so.2");
    expect(resolveInImage(t.path, "../../etc/passwd")).toBe("etc/passwd");
  });

  test("the upper layer gets /bin/walt and, for an image without glibc, the agent's loader and libraries", async () => {
    using t = tempDir();
    const rootfs = join(t.path, "rootfs");
    mkdirSync(join(rootfs, "bin"), { recursive: true });
    const agent = process.execPath; // any dynamically linked binary will do
    const mounter = recordingMounter();
    const served = new ServedRoots({ dir: join(t.path, "served"), mounter, rootfs: () => Promise.resolve(rootfs), agentBinary: agent, log: silentLogger });
    const digest = `sha256:${"a".repeat(64)}`;
    const path = await served.acquire(digest);
    expect(path).toBe(join(t.path, "served", "a".repeat(64), "merged"));
    expect(mounter.mounts).toEqual([{ lower: rootfs, upper: join(t.path, "served", "a".repeat(64), "upper"), work: join(t.path, "served", "a".repeat(64), "work"), target: path }]);
    const upper = join(t.path, "served", "a".repeat(64), "upper");
    expect(statSync(join(upper, "bin", "walt")).size).toBe(statSync(agent).size);
    const libs = sharedLibraries(agent);
    expect(libs.length).toBeGreaterThan(0);
    for (const lib of libs) expect(existsSync(join(upper, lib.replace(/^\//, "")))).toBe(true);
    expect(await served.acquire(digest)).toBe(path);
    expect(mounter.mounts).toHaveLength(1);
    await served.releaseExcept(new Set());
    expect(mounter.umounts).toEqual([path]);
    expect(served.digests()).toEqual([]);
  });

  test("an image with its own glibc keeps it; without an agent binary nothing is injected", async () => {
    using t = tempDir();
    const rootfs = join(t.path, "rootfs");
    const libs = sharedLibraries(process.execPath);
    for (const lib of libs) {
      mkdirSync(join(rootfs, lib, ".."), { recursive: true });
      writeFileSync(join(rootfs, lib), "image's own");
    }
    const served = new ServedRoots({ dir: join(t.path, "served"), mounter: recordingMounter(), rootfs: () => Promise.resolve(rootfs), agentBinary: process.execPath, log: silentLogger });
    await served.acquire(`sha256:${"b".repeat(64)}`);
    const upper = join(t.path, "served", "b".repeat(64), "upper");
    for (const lib of libs) expect(existsSync(join(upper, lib.replace(/^\//, "")))).toBe(false);
    const bare = new ServedRoots({ dir: join(t.path, "served2"), mounter: recordingMounter(), rootfs: () => Promise.resolve(rootfs), agentBinary: undefined, log: silentLogger });
    await bare.acquire(`sha256:${"c".repeat(64)}`);
    expect(existsSync(join(t.path, "served2", "c".repeat(64), "upper", "bin"))).toBe(false);
  });
});

import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { applyTree, persistDir, type TreeNode } from "./tree.ts";

function setup(): { dir: string; nodes: string; served: string; dispose(): void } {
  const t = tempDir();
  const served = join(t.path, "served", "abc", "merged");
  mkdirSync(join(served, "boot", "pc-x86-64"), { recursive: true });
  writeFileSync(join(served, "boot", "pc-x86-64", "start.ipxe"), "#!ipxe\n");
  return { dir: t.path, nodes: join(t.path, "nodes"), served, dispose: () => t[Symbol.dispose]() };
}

const node = (over: Partial<TreeNode> = {}): TreeNode => ({
  mac: "52:54:00:00:00:01",
  ip: "192.168.152.2",
  name: "vn1",
  model: "pc-x86-64",
  owner: "alice",
  servedRoot: null,
  persist: true,
  ...over,
});

describe("per-node boot tree", () => {
  test("WALT's layout: mac dir, fs/tftp/persist links, name/ip/dashed-mac links, all relative", () => {
    const s = setup();
    try {
      applyTree(s.nodes, [node({ servedRoot: s.served })]);
      const mac = join(s.nodes, "52:54:00:00:00:01");
      expect(readlinkSync(join(mac, "fs"))).toBe("../../served/abc/merged");
      expect(readlinkSync(join(mac, "tftp"))).toBe("fs/boot/pc-x86-64");
      expect(readlinkSync(join(mac, "persist"))).toBe("persist_dirs/alice");
      expect(lstatSync(persistDir(s.nodes, "52:54:00:00:00:01", "alice")).isDirectory()).toBe(true);
      for (const alias of ["vn1", "192.168.152.2", "52-54-00-00-00-01"]) expect(readlinkSync(join(s.nodes, alias))).toBe("52:54:00:00:00:01");
      expect(realpathSync(join(s.nodes, "192.168.152.2", "tftp", "start.ipxe"))).toBe(join(realpathSync(s.served), "boot", "pc-x86-64", "start.ipxe"));
    } finally {
      s.dispose();
    }
  });

  test("a rename moves the name link, an owner change the persist link; a removed node's tree goes, its image stays", () => {
    const s = setup();
    try {
      applyTree(s.nodes, [node({ servedRoot: s.served })]);
      applyTree(s.nodes, [node({ servedRoot: s.served, name: "vn9", owner: "bob" })]);
      expect(existsSync(join(s.nodes, "vn1"))).toBe(false);
      expect(readlinkSync(join(s.nodes, "vn9"))).toBe("52:54:00:00:00:01");
      expect(readlinkSync(join(s.nodes, "52:54:00:00:00:01", "persist"))).toBe("persist_dirs/bob");
      applyTree(s.nodes, []);
      expect(existsSync(join(s.nodes, "52:54:00:00:00:01"))).toBe(false);
      expect(existsSync(join(s.nodes, "vn9"))).toBe(false);
      expect(existsSync(join(s.served, "boot", "pc-x86-64", "start.ipxe"))).toBe(true);
    } finally {
      s.dispose();
    }
  });

  test("mount.persist=false leaves persist dangling (WALT's forbidden_dir); no served root, no fs link", () => {
    const s = setup();
    try {
      applyTree(s.nodes, [node({ persist: false })]);
      const mac = join(s.nodes, "52:54:00:00:00:01");
      expect(readlinkSync(join(mac, "persist"))).toBe("forbidden_dir");
      expect(existsSync(join(mac, "fs"))).toBe(false);
    } finally {
      s.dispose();
    }
  });
});

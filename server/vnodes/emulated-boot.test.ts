import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";
import { tempDir } from "../../test/helpers/tmp.ts";
import { applyTree } from "../netboot/tree.ts";
import { emulatedBoot, treePath } from "./emulated-boot.ts";
import { failureMessage as failure } from "../../test/helpers/failure.ts";

const MAC = "52:54:00:00:00:01";
// The script WALT's default images carry (server/images/defaults/boot/start.ipxe), abridged.
const START = "#!ipxe\nkernel kernel initrd=initrd console=ttyS0 walt.server=${next-server} walt.mac=${mac} walt.hostname=${hostname} walt.root=/var/lib/walt/nodes/${mac}/fs || reboot\ninitrd initrd || reboot\nboot || reboot\n";

function tree(dir: string, files: Record<string, string>): { nodes: string; served: string } {
  const served = join(dir, "served", "x", "merged");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(served, p, ".."), { recursive: true });
    writeFileSync(join(served, p), text);
  }
  const nodes = join(dir, "nodes");
  applyTree(nodes, [{ mac: MAC, ip: "192.168.152.2", name: "vn1", model: "pc-x86-64", owner: "alice", servedRoot: served, persist: true }]);
  return { nodes, served };
}

const input = (nodes: string, served: string) => ({
  nodesDir: nodes,
  allowedRoots: [nodes, join(served, "..", "..")],
  mac: MAC,
  ip: "192.168.152.2",
  name: "vn1",
  model: "pc-x86-64",
  serverIp: "192.168.152.1",
  prefix: 24,
});


describe("emulated bootloader of virtual nodes", () => {
  test("runs the image's start.ipxe from the node's tree: kernel and initrd paths, command line, files read", async () => {
    using t = tempDir();
    const { nodes, served } = tree(t.path, { "boot/pc-x86-64/start.ipxe": START, "boot/pc-x86-64/kernel": "K".repeat(10), "boot/pc-x86-64/initrd": "I".repeat(5) });
    const b = await emulatedBoot(input(nodes, served));
    expect(b.kernel).toEndWith("/served/x/merged/boot/pc-x86-64/kernel");
    expect(b.initrd).toEndWith("/served/x/merged/boot/pc-x86-64/initrd");
    expect(b.cmdline).toBe("initrd=initrd console=ttyS0 walt.server=192.168.152.1 walt.mac=52:54:00:00:00:01 walt.hostname=vn1 walt.root=/var/lib/walt/nodes/52:54:00:00:00:01/fs");
    expect(b.files).toEqual([
      { path: "start.ipxe", bytes: START.length },
      { path: "kernel", bytes: 10 },
      { path: "initrd", bytes: 5 },
    ]);
  });

  test("server URLs name the same tree; an image without boot files for the model says so; nothing leaves the tree", async () => {
    expect(treePath("tftp://192.168.152.1/start.ipxe")).toBe("start.ipxe");
    expect(treePath("http://192.168.152.1:80/boot/kernel?node_ip=1")).toBe("kernel");
    expect(() => treePath("http://example.org/other")).toThrow("Only /boot/ URLs");
    using t = tempDir();
    const empty = tree(t.path, { "etc/hostname": "x" });
    const missing = await emulatedBoot(input(empty.nodes, empty.served)).then(() => undefined, (e: unknown) => e);
    expect(missing).toBeInstanceOf(WaltError);
    expect(missing).toMatchObject({
      code: "NOT_FOUND",
      message: "no file boot/pc-x86-64/start.ipxe in the image (the boot files of node model pc-x86-64).",
      hint: "boot an image made for model pc-x86-64: `walt node boot vn1 <image>` (`walt image show` lists yours).",
    });
    using t4 = tempDir();
    const noKernel = tree(t4.path, { "boot/pc-x86-64/start.ipxe": START });
    expect(await failure(emulatedBoot(input(noKernel.nodes, noKernel.served)))).toBe("no file boot/pc-x86-64/kernel in the image (the boot files of node model pc-x86-64).");
    using t2 = tempDir();
    const escaping = tree(t2.path, { "boot/pc-x86-64/start.ipxe": "kernel ../../../../../../etc/passwd\nboot\n" });
    expect(await failure(emulatedBoot(input(escaping.nodes, escaping.served)))).toContain("'..' in the path");
    using t3 = tempDir();
    const linked = tree(t3.path, { "boot/pc-x86-64/start.ipxe": "kernel kernel\nboot\n" });
    symlinkSync("/etc/passwd", join(linked.served, "boot", "pc-x86-64", "kernel"));
    expect(await failure(emulatedBoot(input(linked.nodes, linked.served)))).toContain("it leaves the boot tree");
  });
});

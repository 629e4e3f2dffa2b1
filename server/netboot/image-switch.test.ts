/**
 * `walt node boot` on a running node (held-roots.ts): the boot tree switches at once, the node is asked to reboot
 * itself, and its root export stays on the image it runs until its VM starts again; a node that does not answer
 * is hard-rebooted and its export follows at the restart.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { DeviceRepo } from "../devices/repo.ts";
import { storeImage } from "../../test/helpers/oci-image.ts";
import { nodesDirOf, RecordingNfs, startNetbootTestServer, type NetbootTestServer } from "../../test/helpers/netboot-server.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { rootPseudo } from "./exports.ts";

const DEFAULT = "waltplatform/pc-x86-64-default:latest";

/** A node service answering OK to every request, and what it received. */
async function answeringNode(): Promise<{ server: Server; port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((sock) => {
    sock.setEncoding("utf8");
    sock.on("error", () => undefined);
    let got = "";
    sock.on("data", (d: string) => {
      got += d;
      if (got.split("\n").length < 3) return;
      received.push(got);
      sock.end("OK\n");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  return { server, port: typeof a === "object" && a !== null ? a.port : 0, received };
}

/** vn1 created on the default image, its VM running; its MAC and the directory its tree points to. */
async function runningVn1(s: NetbootTestServer): Promise<{ mac: string; tree: () => string }> {
  await storeImage(s.ctx.images, DEFAULT, { layers: [{ "etc/flavour": "default\n" }] });
  await storeImage(s.ctx.images, "alice/second:latest", { layers: [{ "etc/flavour": "second\n" }] });
  await s.cli("alice", ["node", "create", "vn1"]);
  await waitFor(() => s.hv.running("vn1").length === 1, "vn1's VM");
  const mac = (await new DeviceRepo(s.ctx.db).byName("vn1"))?.mac ?? "";
  const dir = join(nodesDirOf(s), mac);
  return { mac, tree: () => resolve(dir, readlinkSync(join(dir, "fs"))) };
}

describe("walt node boot on a running node", () => {
  test("soft reboot: the tree switches at once, the root export stays on the old image until the VM restarts", async () => {
    const nfs = new RecordingNfs();
    const node = await answeringNode();
    await using s = await startNetbootTestServer({ nfs, nodeService: { timeoutMs: 2_000, endpoint: () => ({ host: "127.0.0.1", port: node.port }) } });
    const { mac, tree } = await runningVn1(s);
    const oldRoot = tree();
    expect(nfs.pathAt(rootPseudo(mac))).toBe(oldRoot);

    expect(await s.cli("alice", ["node", "boot", "vn1", "second"])).toEqual({ code: 0, out: "Node vn1 will now boot second.\nNode vn1: rebooted ok.\n", err: "" });
    expect(node.received).toEqual(["MODE single\nREBOOT\n"]);
    // The next boot will fetch the new image's files, but the running node still reads the old root.
    const newRoot = tree();
    expect(newRoot).not.toBe(oldRoot);
    expect(nfs.pathAt(rootPseudo(mac))).toBe(oldRoot);
    expect(existsSync(oldRoot)).toBe(true);
    expect(s.hv.events.filter((e) => e.startsWith("kill"))).toEqual([]);

    // The guest reboots (qemu -no-reboot exits): before the VM starts again, the export follows the image.
    s.hv.running("vn1")[0]?.exit(0);
    await waitFor(() => s.hv.starts("vn1") === 2, "vn1's restart");
    expect(nfs.pathAt(rootPseudo(mac))).toBe(newRoot);
    expect(existsSync(oldRoot)).toBe(false);
    const boot = s.netboot.timelines.get(mac).at(-1);
    expect(boot?.cause).toBe("image change");
    expect(boot?.events[1]?.detail).toBe("method: soft-reboot");
    node.server.close();
  });

  test("a node that does not answer is hard-rebooted and its export follows the image at the restart", async () => {
    const nfs = new RecordingNfs();
    await using s = await startNetbootTestServer({ nfs });
    const { mac, tree } = await runningVn1(s);
    expect(await s.cli("alice", ["node", "boot", "vn1", "second"])).toEqual({ code: 0, out: "Node vn1 will now boot second.\nNode vn1: rebooted ok.\n", err: "" });
    await waitFor(() => s.hv.starts("vn1") === 2, "vn1's restart");
    expect(s.hv.events.filter((e) => e.startsWith("kill"))).toEqual(["kill vn1"]);
    expect(nfs.pathAt(rootPseudo(mac))).toBe(tree());
    expect(s.netboot.timelines.get(mac).at(-1)?.events[1]?.detail).toBe("method: vnode hard-reboot");
  });

  test("a server restarted before a physical node's reboot still exports the image the node runs", async () => {
    const nfs = new RecordingNfs();
    const node = await answeringNode();
    await using s = await startNetbootTestServer({ nfs, nodeService: { timeoutMs: 2_000, endpoint: () => ({ host: "127.0.0.1", port: node.port }) } });
    await storeImage(s.ctx.images, DEFAULT, { layers: [{ "etc/flavour": "default\n" }] });
    await storeImage(s.ctx.images, "alice/second:latest", { layers: [{ "etc/flavour": "second\n" }] });
    const mac = "00:1e:06:00:00:01";
    const devices = new DeviceRepo(s.ctx.db);
    await devices.insert({ mac, ip: "192.168.152.20", name: "pc1", type: "node", model: "pc-x86-64", virtual: false, createdUs: 0 });
    await devices.setNode(mac, DEFAULT);
    await s.netboot.sync();
    const oldRoot = nfs.pathAt(rootPseudo(mac));
    expect(oldRoot).toBeDefined();
    expect(await s.cli("alice", ["node", "boot", "pc1", "second"])).toEqual({ code: 0, out: "Node pc1 will now boot second.\nNode pc1: rebooted ok.\n", err: "" });
    expect(node.received).toEqual(["MODE single\nREBOOT\n"]);

    await s.netboot.sync();
    expect(nfs.pathAt(rootPseudo(mac))).toBe(oldRoot);
    // The server stops and starts again before pc1 has rebooted: the hold comes back from its file.
    await s.restartNetboot();
    expect(nfs.pathAt(rootPseudo(mac))).toBe(oldRoot);
    expect(existsSync(oldRoot ?? "")).toBe(true);
    // pc1 boots again (a DHCP offer would say so): its export follows its new image.
    await s.netboot.nodeBooting(mac);
    expect(nfs.pathAt(rootPseudo(mac))).not.toBe(oldRoot);
    node.server.close();
  });
});

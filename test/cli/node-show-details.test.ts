/**
 * `walt node show [node_set] --details` against a server with network boot and a fake hypervisor: the latest
 * boot timeline of each listed node (fed by the VM start and the agent's boot steps), a node set restricting the
 * tables, and a node whose image has no boot files for its model (failed state, log lines, reboot retries).
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { manualClock } from "../../src/clock.ts";
import { DeviceRepo } from "../../server/devices/repo.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { nodesDirOf, startNetbootTestServer, type NetbootTestServer } from "../helpers/netboot-server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const DEFAULT = "waltplatform/pc-x86-64-default:latest";
const T0 = 1_714_564_800_000_000;

async function macOf(s: NetbootTestServer, name: string): Promise<{ mac: string; ip: string }> {
  const d = await new DeviceRepo(s.ctx.db).byName(name);
  if (d?.ip == null) throw new Error(`no node ${name}`);
  return { mac: d.mac, ip: d.ip };
}

/** The agent of `ip` reports steps (POST /api/node/v1/boot-steps). */
async function steps(s: NetbootTestServer, ip: string, list: { step: string; status: string; detail: string }[]): Promise<void> {
  const body = JSON.stringify({ mac: null, steps: list.map((x) => ({ ...x, time: 1 })) });
  const r = await s.nodeRequest(ip, "/api/node/v1/boot-steps", { method: "POST", body, headers: { "content-type": "application/json" } });
  expect(r.status).toBe(200);
}

describe("walt node show --details", () => {
  test("each listed node's latest boot: offsets from its start, steps, booted time; plain `node show` is unchanged", async () => {
    const clock = manualClock(T0);
    await using s = await startNetbootTestServer({ clock });
    await storeImage(s.ctx.images, DEFAULT);
    expect((await s.cli("alice", ["node", "create", "vn1"])).code).toBe(0);
    const vn1 = await macOf(s, "vn1");
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    const plain = (await s.cli("alice", ["node", "show"])).out;
    clock.advance(9_500_000);
    await steps(s, vn1.ip, [{ step: "swap", status: "skipped", detail: "no nbd-client in the image" }]);
    const pending = await s.cli("alice", ["node", "show", "--details"]);
    expect(pending.code).toBe(0);
    expect(pending.out).toContain("    NOT booted yet, 0 B served (boot files, kernel, initrd)\n    waiting for the agent's hand-over to the image's init (last: swap: skipped, no nbd-client in the image)\n");
    clock.advance(5_400_000);
    await steps(s, vn1.ip, [{ step: "hand-over", status: "ok", detail: "exec /sbin/init" }]);
    const r = await s.cli("alice", ["node", "show", "--details"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    // The tables first (as without --details, the node now booted), then the section, then WALT's footnotes.
    const [tables, section] = r.out.split("\x1b[1mLatest boot of each node:\n\x1b[0m\n");
    expect(tables).toContain("vn1   virtual  pc-x86-64  pc-x86-64-default  192.168.152.2  LAN       yes");
    expect(section).toMatch(/^vn1: image alice\/pc-x86-64-default, cause: virtual node created, started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
    expect(section?.split("\n").slice(1)).toEqual([
      "     +0.0s  boot-start    virtual node created",
      "     +0.0s  boot-file     qemu iPXE ROM (PXE boot)",
      "     +9.5s  root-mounted  image root mounted over NFS (the agent runs from it)",
      "     +9.5s  step          swap: skipped, no nbd-client in the image",
      "    +14.9s  step          hand-over: ok, exec /sbin/init",
      "    +14.9s  booted        the agent handed over to the image's init",
      "    booted in 14.9s, 0 B served (boot files, kernel, initrd)",
      "",
      "Re-run with --all to see all available nodes.",
      "Type `walt help show node-ownership` for help.",
      "",
    ]);
    // Without --details, the output is WALT's: the same tables and footnotes, no section.
    const after = (await s.cli("alice", ["node", "show"])).out;
    expect(after).toBe(plain.replace(/LAN       NO    \n/, "LAN       yes   \n"));
    expect(after).not.toContain("Latest boot");
  });

  test("a node set restricts the tables (any owner) and the details to its nodes; --names-only excludes --details", async () => {
    await using s = await startNetbootTestServer();
    await storeImage(s.ctx.images, DEFAULT);
    await s.cli("alice", ["node", "create", "vn1"]);
    await s.cli("bob", ["node", "create", "vn2"]);
    await waitFor(() => s.hv.running("vn2").length === 1, "the VM start");
    const r = await s.cli("alice", ["node", "show", "vn2", "--details"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("The following nodes currently belong to other users:");
    expect(r.out).not.toContain("vn1");
    expect(r.out).not.toContain("Re-run with --all");
    expect(r.out).toContain("\nvn2: image bob/pc-x86-64-default, cause: virtual node created, started ");
    expect(r.out).toContain("    waiting for the bootloader to fetch the kernel and initrd\n");
    expect((await s.cli("alice", ["node", "show", "vn1,vn2", "--names-only"])).out).toBe("vn1\nvn2\n");
    const both = await s.cli("alice", ["node", "show", "--names-only", "--details"]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--details");
    expect((await s.cli("alice", ["node", "show", "nope"])).code).toBe(1);
  });
});

describe("a node whose image has no boot files for its model", () => {
  test("stays failed with the reason in its timeline and logs, is retried at once by a reboot, and boots once files exist", async () => {
    await using s = await startNetbootTestServer({ emulated: true });
    await storeImage(s.ctx.images, DEFAULT, { layers: [{ "etc/flavour": "no kernel here\n" }] });
    expect((await s.cli("alice", ["node", "create", "vn1"])).code).toBe(0);
    const { mac } = await macOf(s, "vn1");
    const reason =
      "cannot boot image alice/pc-x86-64-default:latest: no file boot/pc-x86-64/start.ipxe in the image (the boot files of node model pc-x86-64). " +
      "Hint: boot an image made for model pc-x86-64: `walt node boot vn1 <image>` (`walt image show` lists yours).";
    await waitFor(() => s.netboot.timelines.get(mac).at(-1)?.events.some((e) => e.kind === "error"), "the timeline error");
    const show = await s.cli("alice", ["node", "show", "--details"]);
    expect(show.out).toMatch(/\n {4}\+\d+\.\ds {2}error {7}(.*)\n {4}boot FAILED at \d+\.\ds \(the error above\), 0 B served \(boot files, kernel, initrd\)\n/);
    expect(show.out).toContain(`  error       ${reason}\n`);
    expect(show.out).toContain("\n    waiting for a retry, `walt node reboot`, or `walt node boot` with a compatible image\n");
    // The node's own log stream and the platform stream carry it (walt log show).
    const nodeLog = await waitFor(async () => {
      const r = await s.cli("alice", ["log", "show", "--nodes", "vn1", "--history", "full", "--format", "{stream}: {line}"]);
      return r.out.includes("cannot boot") ? r.out : undefined;
    }, "the node's log line");
    expect(nodeLog).toBe(`netboot: ${reason}\n`);
    const platform = (await s.cli("alice", ["log", "show", "--platform", "--history", "full", "--format", "{line}"])).out;
    expect(platform.split("\n").filter((l) => l.includes("cannot boot"))).toEqual([`node vn1 ${reason}`]);
    // The same failure again is not news: one timeline event for this boot, no VM.
    expect(s.netboot.timelines.get(mac).at(-1)?.events.filter((e) => e.kind === "error")).toHaveLength(1);
    expect(s.hv.starts("vn1")).toBe(0);
    // Boot files appear (served root written directly: the test mounter mounts nothing); a reboot retries at once.
    const boot = join(nodesDirOf(s), mac, "fs", "boot", "pc-x86-64");
    mkdirSync(boot, { recursive: true });
    writeFileSync(join(boot, "start.ipxe"), "#!ipxe\nkernel kernel console=ttyS0\ninitrd initrd\nboot\n");
    writeFileSync(join(boot, "kernel"), "K".repeat(2500));
    writeFileSync(join(boot, "initrd"), "I".repeat(1500));
    expect(await s.cli("alice", ["node", "reboot", "vn1"])).toEqual({ code: 0, out: "Node vn1: rebooted ok.\n", err: "" });
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start after the reboot");
    const details = (await s.cli("alice", ["node", "show", "--details"])).out;
    expect(details).toContain("cause: reboot requested");
    expect(details).toMatch(/\+\d+\.\ds {2}kernel {6}2\.5 kB {2}emulated iPXE kernel\n/);
    expect(details).toContain("    NOT booted yet, 4.1 kB served (boot files, kernel, initrd)\n");
  });
});

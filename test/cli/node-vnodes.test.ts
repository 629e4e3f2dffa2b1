/**
 * `walt node create / remove / boot / deploy / reboot` against a server with network boot but a fake hypervisor
 * (WALT §1.6, §7.1): messages, ownership rules, what the VM supervisor was asked to do, the boot tree, the boot
 * timeline, the agent's boot-step endpoint and HTTP /boot/.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bootTimelines } from "../../src/api/nodes.ts";
import { manualClock } from "../../src/clock.ts";
import { DeviceRepo } from "../../server/devices/repo.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { nodesDirOf, startNetbootTestServer, type NetbootTestServer } from "../helpers/netboot-server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const DEFAULT = "waltplatform/pc-x86-64-default:latest";

async function withDefault(): Promise<NetbootTestServer> {
  const s = await startNetbootTestServer();
  await storeImage(s.ctx.images, DEFAULT, { layers: [{ "etc/flavour": "default\n" }] });
  return s;
}

const created = (name: string): string =>
  `Default image for pc-x86-64 was saved as "pc-x86-64-default" in your working set.\n` +
  `Node ${name} is now booting your image "pc-x86-64-default".\nUse \`walt node boot ${name} <other-image>\` if needed.\n`;

async function node(s: NetbootTestServer, name: string) {
  const d = await new DeviceRepo(s.ctx.db).byName(name);
  if (!d) throw new Error(`no node ${name}`);
  return d;
}

describe("walt node create / remove", () => {
  test("a created virtual node belongs to its creator, gets a 52:54:00 MAC, an IP, a boot tree and a VM", async () => {
    await using s = await withDefault();
    expect(await s.cli("alice", ["node", "create", "vn1"])).toEqual({ code: 0, out: created("vn1"), err: "" });
    const d = await node(s, "vn1");
    expect(d.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(d.ip).toBe("192.168.152.2");
    expect(d.virtual).toBe(true);
    expect(d.node?.image).toBe("alice/pc-x86-64-default:latest");
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    expect(s.hv.running("vn1")[0]?.spec).toMatchObject({ mac: d.mac, ramMb: 512, tap: `wt${d.mac.replace(/:/g, "")}` });
    const nodes = nodesDirOf(s);
    expect(readlinkSync(join(nodes, "vn1"))).toBe(d.mac);
    expect(readlinkSync(join(nodes, "192.168.152.2"))).toBe(d.mac);
    expect(readlinkSync(join(nodes, d.mac, "tftp"))).toBe("fs/boot/pc-x86-64");
    expect(readlinkSync(join(nodes, d.mac, "persist"))).toBe("persist_dirs/alice");
    expect(readlinkSync(join(nodes, d.mac, "fs"))).toMatch(/^\.\.\/\.\.\/served\/[0-9a-f]{64}\/merged$/);
    const show = await s.cli("alice", ["node", "show"]);
    expect(show.out).toContain("vn1");
    expect(show.out).toContain("virtual");
    // A second node gets the next address; the working set already has the image.
    expect((await s.cli("alice", ["node", "create", "vn2"])).out).toBe('Node vn2 is now booting your image "pc-x86-64-default".\nUse `walt node boot vn2 <other-image>` if needed.\n');
    expect((await node(s, "vn2")).ip).toBe("192.168.152.3");
  });

  test("invalid or taken names and a missing default image are refused with WALT's messages", async () => {
    await using s = await startNetbootTestServer();
    const missing = await s.cli("alice", ["node", "create", "vn1"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toStartWith(`Failed: the default image for "pc-x86-64" (${DEFAULT}) is not on this server.`);
    await storeImage(s.ctx.images, DEFAULT);
    expect((await s.cli("alice", ["node", "create", "1x"])).err).toStartWith("Failed: invalid new name.\n");
    expect((await s.cli("alice", ["node", "create", "vn1"])).code).toBe(0);
    expect(await s.cli("bob", ["node", "create", "vn1"])).toMatchObject({ code: 1, err: "Failed: a device with name 'vn1' already exists.\n" });
    expect(s.hv.starts("vn1")).toBeLessThanOrEqual(1);
  });

  test("removing a node stops its VM, removes its tap and boot tree and forgets it; others' nodes need a confirmation", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    const mac = (await node(s, "vn1")).mac;
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    const refused = await s.cli("bob", ["node", "remove", "vn1"], { input: ["n"] });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("Warning: node vn1 seems to be used by another user.");
    expect(s.hv.running("vn1")).toHaveLength(1);
    expect(await s.cli("alice", ["node", "remove", "vn1"])).toEqual({ code: 0, out: "", err: "" });
    expect(s.hv.running("vn1")).toHaveLength(0);
    expect(s.hv.events).toContain(`detach ${mac}`);
    expect(await new DeviceRepo(s.ctx.db).byName("vn1")).toBeUndefined();
    expect(existsSync(join(nodesDirOf(s), mac))).toBe(false);
    expect(existsSync(join(nodesDirOf(s), "vn1"))).toBe(false);
  });

  test("a physical node cannot be removed", async () => {
    await using s = await withDefault();
    await s.base.register({ mac: "b8:27:eb:00:00:01", ip: "192.168.152.20", type: "node", model: "rpi-3-b", name: "rpi1" });
    expect(await s.cli("alice", ["node", "remove", "rpi1"])).toMatchObject({ code: 1, err: "FAILED: rpi1 is a real node (not virtual).\n" });
  });
});

describe("walt node reboot / boot", () => {
  test("a reboot kills the VM, the supervisor boots it again; physical nodes report why they could not reboot", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    expect(await s.cli("alice", ["node", "reboot", "vn1"])).toEqual({ code: 0, out: "Node vn1: rebooted ok.\n", err: "" });
    await waitFor(() => s.hv.starts("vn1") === 2 && s.hv.running("vn1").length === 1, "the VM restart");
    expect(s.hv.events.filter((e) => e === "kill vn1")).toHaveLength(1);
    await s.base.register({ mac: "b8:27:eb:00:00:01", ip: "192.168.152.20", type: "node", model: "rpi-3-b", name: "rpi1" });
    const soft = await s.cli("alice", ["node", "reboot", "rpi1,vn1"]);
    expect(soft.code).toBe(1);
    expect(soft.out).toBe("Node vn1: rebooted ok.\n");
    // Nothing answers on the test's node service port: WALT's error, lower-cased (server/netboot/reboot.test.ts has the others).
    expect(soft.err).toBe("Node rpi1: failed soft-reboot (connection refused) and poe-reboot (unknown lldp network position)\n");
    expect((await s.cli("alice", ["node", "reboot", "--hard", "rpi1"])).err).toBe("Node rpi1: failed poe-reboot (unknown lldp network position)\n");
  });

  test("boot switches the node's image and reboots it; already-using nodes are ignored; WALT's refusals", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    const mac = (await node(s, "vn1")).mac;
    const before = readlinkSync(join(nodesDirOf(s), mac, "fs"));
    await storeImage(s.ctx.images, "alice/second:latest", { layers: [{ "etc/flavour": "second\n" }] });
    expect(await s.cli("alice", ["node", "boot", "vn1", "second"])).toEqual({ code: 0, out: "Node vn1 will now boot second.\nNode vn1: rebooted ok.\n", err: "" });
    expect((await node(s, "vn1")).node?.image).toBe("alice/second:latest");
    expect(readlinkSync(join(nodesDirOf(s), mac, "fs"))).not.toBe(before);
    await waitFor(() => s.hv.starts("vn1") === 2, "the VM restart");
    expect(await s.cli("alice", ["node", "deploy", "vn1", "second"])).toEqual({ code: 0, out: "Node vn1: ignored, it is already using this image.\n", err: "" });
    await storeImage(s.ctx.images, "alice/rpi:latest", { labels: { "walt.node.models": "rpi-3-b" } });
    expect(await s.cli("alice", ["node", "boot", "vn1", "rpi"])).toMatchObject({ code: 1, err: "Sorry, this image is not compatible with node model(s) pc-x86-64.\n" });
    expect((await s.cli("alice", ["node", "boot", "vn1", "nope"])).err).toStartWith("Error: No such image 'nope'. (tip: walt image show)");
    expect(await s.cli("alice", ["node", "boot", "vn1", "default"])).toEqual({
      code: 0,
      out: "Node vn1 will now boot its default image (other users will see it is 'free').\nNode vn1: rebooted ok.\n",
      err: "",
    });
    expect((await node(s, "vn1")).node?.image).toBe(DEFAULT);
  });

  test("booting another user's node asks for a confirmation first", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    await s.cli("bob", ["image", "show"]);
    const r = await s.cli("bob", ["node", "boot", "vn1", "pc-x86-64-default"], { input: ["n"] });
    expect(r.code).toBe(1);
    expect(r.err).toContain("Warning: node vn1 seems to be used by another user.");
    expect((await node(s, "vn1")).node?.image).toBe("alice/pc-x86-64-default:latest");
  });
});

describe("boot timeline, boot steps and /boot/", () => {
  test("the agent's steps are recorded from the node's address; the hand-over marks it booted", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    const d = await node(s, "vn1");
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    const report = (steps: { step: string; status: string }[], mac: string | null = d.mac) =>
      JSON.stringify({ mac, steps: steps.map((x) => ({ ...x, detail: "d", time: 1 })) });
    const post = (ip: string, body: string) => s.nodeRequest(ip, "/api/node/v1/boot-steps", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect((await post("192.168.152.99", report([{ step: "cmdline", status: "ok" }]))).status).toBe(403);
    expect((await post(d.ip ?? "", "{")).status).toBe(400);
    expect((await post(d.ip ?? "", report([{ step: "cmdline", status: "ok" }, { step: "swap", status: "skipped" }]))).status).toBe(200);
    expect(s.ctx.status.isBooted(d.mac)).toBe(false);
    expect((await post(d.ip ?? "", report([{ step: "hand-over", status: "ok" }], null))).status).toBe(200);
    expect(s.ctx.status.isBooted(d.mac)).toBe(true);
    const show = await s.cli("alice", ["node", "show"]);
    expect(show.out).toMatch(/vn1 .* yes/);
    const api = await s.app.request("/api/cli/v1/nodes.boot-timelines", {
      method: "POST",
      body: JSON.stringify({ set: "vn1" }),
      headers: { "x-walt-token": await tokenOf(s, "alice"), "content-type": "application/json" },
    });
    const tl = bootTimelines.output.parse(await api.json());
    const boot = tl.nodes[0]?.boots.at(-1);
    expect(boot?.cause).toBe("virtual node created");
    expect(boot?.image).toBe("alice/pc-x86-64-default:latest");
    expect(boot?.events.map((e) => e.kind)).toEqual(["boot-start", "boot-file", "root-mounted", "step", "step", "step", "booted"]);
    expect(boot?.bootedUs).toBeGreaterThan(0);
    // A reboot starts a new record and the node is no longer booted.
    await s.cli("alice", ["node", "reboot", "vn1"]);
    expect(s.ctx.status.isBooted(d.mac)).toBe(false);
    expect(s.netboot.timelines.get(d.mac).at(-1)?.cause).toBe("reboot requested");
  });

  test("GET /boot/<path> serves the requesting node's tftp tree, ?node_ip= overrides, nothing leaves it", async () => {
    await using s = await withDefault();
    await s.cli("alice", ["node", "create", "vn1"]);
    const d = await node(s, "vn1");
    const served = join(nodesDirOf(s), d.mac, "fs");
    mkdirSync(join(served, "boot", "pc-x86-64"), { recursive: true });
    writeFileSync(join(served, "boot", "pc-x86-64", "start.ipxe"), "#!ipxe\n");
    const ok = await s.nodeRequest(d.ip ?? "", "/boot/start.ipxe");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("#!ipxe\n");
    expect(await (await s.nodeRequest("127.0.0.1", `/boot/start.ipxe?node_ip=${d.ip ?? ""}`)).text()).toBe("#!ipxe\n");
    const missing = await s.nodeRequest(d.ip ?? "", "/boot/kernel");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("No such file.");
    expect((await s.nodeRequest(d.ip ?? "", "/boot/..%2f..%2f..%2fwalt.db")).status).toBe(403);
    await waitFor(() => s.netboot.timelines.get(d.mac).at(-1)?.events.some((e) => e.detail === "http start.ipxe"), "the timeline event");
  });
});

async function tokenOf(s: NetbootTestServer, user: string): Promise<string> {
  const path = await s.base.user(user);
  return /token: "([^"]+)"/.exec(await Bun.file(path).text())?.[1] ?? "";
}

const NO_START =
  "no file boot/pc-x86-64/start.ipxe in the image (the boot files of node model pc-x86-64). Hint: boot an image made for model pc-x86-64: `walt node boot vn1 <image>` (`walt image show` lists yours).";

describe("a node that cannot boot", () => {
  test("an image without boot files for the node's model: a timeline error and a WALT log line, no VM, no hang", async () => {
    await using s = await startNetbootTestServer({ emulated: true });
    await storeImage(s.ctx.images, DEFAULT, { layers: [{ "etc/flavour": "no kernel here\n" }] });
    expect((await s.cli("alice", ["node", "create", "vn1"])).code).toBe(0);
    const mac = (await node(s, "vn1")).mac;
    await waitFor(() => s.netboot.timelines.get(mac).at(-1)?.events.some((e) => e.kind === "error"), "the timeline error");
    expect(s.netboot.timelines.get(mac).at(-1)?.events.find((e) => e.kind === "error")?.detail).toBe(
      `cannot boot image alice/pc-x86-64-default:latest: ${NO_START}`,
    );
    expect(s.hv.starts("vn1")).toBe(0);
    const logs = await waitFor(async () => {
      const r = await s.cli("alice", ["log", "show", "--platform", "--history", "full", "--format", "{line}"]);
      return r.out.includes("cannot boot") ? r.out : undefined;
    }, "the platform log line");
    expect(logs).toContain(`node vn1 cannot boot image alice/pc-x86-64-default:latest: ${NO_START}`);
  });
});

describe("boot timeouts", () => {
  test("a node not booted after boot.timeout is hard-rebooted, boot.retries times, with WALT's log lines", async () => {
    const clock = manualClock(1_700_000_000_000_000);
    await using s = await startNetbootTestServer({ clock });
    await storeImage(s.ctx.images, DEFAULT);
    await s.cli("alice", ["node", "create", "vn1"]);
    expect((await s.cli("alice", ["node", "config", "vn1", "boot.retries=2"])).code).toBe(0);
    await waitFor(() => s.hv.running("vn1").length === 1, "the VM start");
    clock.advance(179_000_000);
    await s.netboot.bootTimeouts.tick();
    expect(s.hv.starts("vn1")).toBe(1);
    for (let i = 1; i <= 3; i++) {
      clock.advance(181_000_000);
      await s.netboot.bootTimeouts.tick();
      await waitFor(() => s.hv.running("vn1").length === 1, "the VM running again");
      expect(s.hv.starts("vn1")).toBe(Math.min(i, 2) + 1);
    }
    const logs = (await s.cli("alice", ["log", "show", "--platform", "--history", "full", "--format", "{line}"])).out;
    expect(logs).toContain("vn1: boot timeout reached, trying hard-reboot (1 retries left).");
    expect(logs).toContain("vn1: boot timeout reached, trying hard-reboot (last try).");
    expect(s.netboot.timelines.get((await node(s, "vn1")).mac).at(-1)?.cause).toBe("bootup timeout");
    // A user's reboot gives the retries back; boot.timeout=none disables the check.
    await s.cli("alice", ["node", "reboot", "vn1"]);
    expect((await s.cli("alice", ["node", "config", "vn1", "boot.timeout=none"])).code).toBe(0);
    clock.advance(1_000_000_000);
    await s.netboot.bootTimeouts.tick();
    await waitFor(() => s.hv.starts("vn1") === 4, "the user's reboot");
    expect(s.hv.starts("vn1")).toBe(4);
  });
});

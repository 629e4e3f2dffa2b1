/**
 * The reboot workflow (WALT §3.10) against fake node services on loopback ports, one per node, answering as
 * WALT's walt-net-service-handler would (or failing as a node can): soft reboot first, vnode hard reboot for the
 * virtual nodes left, WALT's messages for the physical ones.
 */
import { describe, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { DeviceRepo } from "../devices/repo.ts";
import { storeImage } from "../../test/helpers/oci-image.ts";
import { startNetbootTestServer, type NetbootTestServer } from "../../test/helpers/netboot-server.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import type { NodeServiceTarget } from "./node-request.ts";
import { nodeRequest } from "./node-request.ts";

/** A node's service: `act` runs once the two request lines arrived; `received` keeps what each client sent. */
interface FakeNode {
  server: Server;
  port: number;
  received: string[];
}

async function fakeNode(act: (sock: Socket) => void): Promise<FakeNode> {
  const received: string[] = [];
  const server = createServer((sock) => {
    let got = "";
    sock.setEncoding("utf8");
    sock.on("error", () => undefined);
    sock.on("data", (d: string) => {
      got += d;
      if (got.split("\n").length < 3) return;
      received.push(got);
      act(sock);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  return { server, port: typeof a === "object" && a !== null ? a.port : 0, received };
}

const say = (text: string) => (sock: Socket) => void sock.end(text);

/** Node IPs → fake ports; any other IP refuses (loopback port 1). */
function targets(ports: Map<string, number>): NodeServiceTarget {
  return { timeoutMs: 300, endpoint: (ip) => ({ host: "127.0.0.1", port: ports.get(ip) ?? 1 }) };
}

const DEFAULT = "waltplatform/pc-x86-64-default:latest";

async function platformLines(s: NetbootTestServer): Promise<string[]> {
  const logs = s.ctx.db.t.logs;
  return (await s.ctx.db.orm.select({ line: logs.line }).from(logs)).map((r) => r.line);
}

describe("walt node reboot: soft reboot through the node's network service", () => {
  test("WALT's order and messages: soft, then vnode hard-reboot, then the physical nodes' failures", async () => {
    const ports = new Map<string, number>();
    await using s = await startNetbootTestServer({ nodeService: targets(ports) });
    await storeImage(s.ctx.images, DEFAULT);
    for (const vn of ["vn1", "vn2"]) await s.cli("alice", ["node", "create", vn]);
    await waitFor(() => s.hv.running("vn1").length === 1 && s.hv.running("vn2").length === 1, "the VMs");
    const repo = new DeviceRepo(s.ctx.db);
    const vn1 = await repo.byName("vn1");
    // vn1 answers OK and, as walt agent service does once the server has closed, reboots: qemu (-no-reboot) exits.
    const n1 = await fakeNode((sock) => {
      sock.on("close", () => s.hv.running("vn1")[0]?.exit(0));
      sock.end("OK\n");
    });
    ports.set(vn1?.ip ?? "", n1.port);
    const physical: [string, (sock: Socket) => void][] = [
      ["rpi1", say("OK\n")],
      ["rpi2", say("KO /bin/walt-network-reboot is not executable on image\n")],
      ["rpi3", () => undefined],
      ["rpi4", say("")],
      ["rpi5", say("WHAT\n")],
      ["rpi6", (sock) => void sock.resetAndDestroy()],
    ];
    const fakes = [n1];
    for (const [i, [name, act]] of physical.entries()) {
      const ip = `192.168.152.${20 + i}`;
      await s.base.register({ mac: `b8:27:eb:00:00:0${i + 1}`, ip, type: "node", model: "rpi-3-b", name });
      const f = await fakeNode(act);
      fakes.push(f);
      ports.set(ip, f.port);
    }
    await s.base.register({ mac: "b8:27:eb:00:00:09", ip: "192.168.152.29", type: "node", model: "rpi-3-b", name: "rpi9" });
    await s.ctx.status.setBooted(vn1?.mac ?? "");

    const r = await s.cli("alice", ["node", "reboot", "rpi1,rpi2,rpi3,rpi4,rpi5,rpi6,rpi9,vn1,vn2"]);
    expect(r.out).toBe("Nodes rpi1, vn1 and vn2: rebooted ok.\n");
    expect(r.err.split("\n").sort()).toEqual([
      "",
      "Node rpi2: failed soft-reboot (/bin/walt-network-reboot is not executable on image) and poe-reboot (unknown lldp network position)",
      "Node rpi3: failed soft-reboot (timed out waiting for reply) and poe-reboot (unknown lldp network position)",
      "Node rpi6: failed soft-reboot (broken connection) and poe-reboot (unknown lldp network position)",
      "Node rpi9: failed soft-reboot (connection refused) and poe-reboot (unknown lldp network position)",
      "Nodes rpi4 and rpi5: failed soft-reboot (node did not respond properly) and poe-reboot (unknown lldp network position)",
    ]);
    expect(r.code).toBe(1);
    // Exactly WALT's request, one connection per node.
    for (const f of fakes) expect(f.received).toEqual(["MODE single\nREBOOT\n"]);

    // vn1 rebooted itself: its VM exited and was started again, nothing was killed, and the exit is no crash.
    await waitFor(() => s.hv.starts("vn1") === 2 && s.hv.running("vn1").length === 1, "vn1's restart");
    expect(s.hv.events.filter((e) => e.startsWith("kill"))).toEqual(["kill vn2"]);
    const boots = s.netboot.timelines.get(vn1?.mac ?? "");
    expect(boots.at(-1)?.cause).toBe("reboot requested");
    expect(boots.at(-1)?.events.slice(0, 2).map((e) => `${e.kind} ${e.detail}`)).toEqual(["boot-start reboot requested", "boot-start method: soft-reboot"]);
    expect(boots.map((b) => b.cause)).not.toContain("virtual node restarted (guest reboot or power-off)");
    const vn2 = await repo.byName("vn2");
    expect(s.netboot.timelines.get(vn2?.mac ?? "").at(-1)?.events[1]?.detail).toBe("method: vnode hard-reboot");
    const lines = await platformLines(s);
    expect(lines).toContain("node vn1 is down (cause: reboot requested, method: soft-reboot)");
    expect(lines.filter((l) => l.includes("vnode exit"))).toEqual([]);

    // --hard skips the soft reboot: the VM is killed, the node's service is not asked.
    expect(await s.cli("alice", ["node", "reboot", "--hard", "vn1,rpi1"])).toEqual({ code: 1, out: "Node vn1: rebooted ok.\n", err: "Node rpi1: failed poe-reboot (unknown lldp network position)\n" });
    expect(n1.received).toHaveLength(1);
    expect(s.hv.events.filter((e) => e.startsWith("kill"))).toEqual(["kill vn2", "kill vn1"]);
    for (const f of fakes) f.server.close();
  });
});

describe("server → node request", () => {
  test("WALT's reply parsing: OK with text is OK, KO gives its text, a lone word is not a proper reply", async () => {
    const replies = ["OK Closing on my side.\n", "KO Start by specifying \"MODE [single|multi]\". Closing on my side.\n", "TIMEOUT\n", "OK"];
    const got: string[] = [];
    for (const text of replies) {
      const f = await fakeNode(say(text));
      got.push(await nodeRequest("192.168.152.2", "PING", { timeoutMs: 1_000, endpoint: () => ({ host: "127.0.0.1", port: f.port }) }));
      f.server.close();
    }
    expect(got).toEqual(["OK", 'Start by specifying "MODE [single|multi]". Closing on my side.', "Node did not respond properly", "OK"]);
  });
});

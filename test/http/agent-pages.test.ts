/**
 * `GET|POST /api/node/v1/agent-pages` on a server with network boot: the plan a booting node's initramfs reads,
 * the learning node's report, and the reports refused (not a node, another node's MAC, malformed, not asked).
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeviceRepo } from "../../server/devices/repo.ts";
import { startNetbootTestServer, type NetbootTestServer } from "../helpers/netboot-server.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { tempDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/wait-for.ts";

const PATH = "/api/node/v1/agent-pages";

async function node(s: NetbootTestServer, name: string): Promise<{ mac: string; ip: string }> {
  expect((await s.cli("alice", ["node", "create", name])).code).toBe(0);
  await waitFor(async () => (await new DeviceRepo(s.ctx.db).byName(name))?.ip != null, `${name}'s address`);
  const d = await new DeviceRepo(s.ctx.db).byName(name);
  return { mac: d?.mac ?? "", ip: d?.ip ?? "" };
}

const post = (s: NetbootTestServer, ip: string, body: unknown): Promise<Response> =>
  s.nodeRequest(ip, PATH, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("agent pages endpoint", () => {
  test("learn, report, then every node gets the prefetch plan; bad reports are refused and change nothing", async () => {
    using tmp = tempDir("walt-agent-pages-http-");
    const agent = join(tmp.path, "walt");
    writeFileSync(agent, Buffer.alloc(65536, 1));
    await using s = await startNetbootTestServer({ agentBinary: agent });
    await storeImage(s.ctx.images, "waltplatform/pc-x86-64-default:latest");
    const vn1 = await node(s, "vn1");
    const vn2 = await node(s, "vn2");

    expect(await (await s.nodeRequest(vn1.ip, `${PATH}?mac=${vn1.mac}&learn=1`)).text()).toBe("learn 65536\n");
    expect(await (await s.nodeRequest(vn2.ip, `${PATH}?learn=1`)).text()).toBe("none\n");

    const refused = [
      [await post(s, "192.168.152.250", { mac: null, size: 65536, ranges: [[0, 4096]] }), 403, "No node has the address 192.168.152.250; agent pages refused."],
      [await post(s, vn1.ip, { mac: vn2.mac, size: 65536, ranges: [[0, 4096]] }), 403, `Agent pages of ${vn2.mac} must come from its own address, not ${vn1.ip}.`],
      [await post(s, vn2.ip, { mac: null, size: 65536, ranges: [[0, 4096]] }), 409, "vn2 was not asked to learn the agent's pages."],
      [await post(s, vn1.ip, "{truncated"), 400, "Malformed JSON in request body."],
      [await post(s, vn1.ip, { mac: null, size: 65536, ranges: [[0, -1]] }), 400, "Invalid agent pages report: ranges.0.1: Too small: expected number to be >0."],
      [await post(s, vn1.ip, { mac: null, size: 65536, ranges: [[61440, 8192]] }), 400, "Invalid agent pages from vn1: range 0 (61440+8192) goes past the end of the 65536-byte file."],
    ] as const;
    for (const [res, status, message] of refused) {
      expect({ status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message }).toEqual({ status, message });
    }

    const ok = await post(s, vn1.ip, { mac: vn1.mac, size: 65536, ranges: [[0, 8192], [16384, 4096]] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ kept: 2 });
    expect(await (await s.nodeRequest(vn2.ip, `${PATH}?learn=1`)).text()).toBe("prefetch 65536\n0 20480\n");
  });

  test("a server without an agent binary answers none", async () => {
    await using s = await startNetbootTestServer();
    expect(await (await s.nodeRequest("192.168.152.9", `${PATH}?learn=1`)).text()).toBe("none\n");
  });
});

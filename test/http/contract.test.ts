/**
 * Bad input at the HTTP boundary (issue "Bad input"): malformed JSON, unknown fields, wrong types → 400
 * with the envelope and nothing written; no or bad token → 401 and nothing changed; version skew → clear
 * message. Requests go through the real hono app of an in-process server.
 */
import { describe, expect, test } from "bun:test";
import { API_VERSION_HEADER, TOKEN_HEADER, endpointPath } from "../../src/api/endpoint.ts";
import { addCheckpoint } from "../../src/api/logs.ts";
import { renameDevice } from "../../src/api/devices.ts";
import { listCheckpoints } from "../../server/logs/checkpoints.ts";
import { UserRepo } from "../../server/users/tokens.ts";
import { startTestServer } from "../helpers/server.ts";

async function post(app: { request(u: string, i: RequestInit): Response | Promise<Response> }, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await app.request("http://walt.test" + path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; hint?: string } } };
}

describe("CLI contract over HTTP", () => {
  test("malformed JSON gets a 400 envelope and writes nothing", async () => {
    await using s = await startTestServer();
    const token = await new UserRepo(s.ctx.db, s.ctx.clock).register("alice");
    const r = await post(s.app, endpointPath(addCheckpoint), "{not json", { [TOKEN_HEADER]: token });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe("BAD_REQUEST");
    expect(r.body.error?.message).toBe("Malformed JSON in request body.");
    expect(await listCheckpoints(s.ctx, "alice")).toEqual([]);
  });

  test("unknown fields and wrong types are refused with 400", async () => {
    await using s = await startTestServer();
    const token = await new UserRepo(s.ctx.db, s.ctx.clock).register("alice");
    const unknown = await post(s.app, endpointPath(addCheckpoint), JSON.stringify({ name: "cp", tsUs: null, extra: 1 }), { [TOKEN_HEADER]: token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toContain("Invalid request for 'logs.checkpoint-add'");
    const wrongType = await post(s.app, endpointPath(addCheckpoint), JSON.stringify({ name: 42, tsUs: null }), { [TOKEN_HEADER]: token });
    expect(wrongType.status).toBe(400);
    expect(await listCheckpoints(s.ctx, "alice")).toEqual([]);
  });

  test("a request without a valid token gets 401 and changes nothing", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.2", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    const body = JSON.stringify({ oldName: "vn1", newName: "vn2" });
    const none = await post(s.app, endpointPath(renameDevice), body);
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe("UNAUTHORIZED");
    const bad = await post(s.app, endpointPath(renameDevice), body, { [TOKEN_HEADER]: "forged" });
    expect(bad.status).toBe(401);
    const rows = await s.ctx.db.orm.select().from(s.ctx.db.t.devices);
    expect(rows.map((d) => d.name).sort()).toEqual(["vn1", "walt-server"]);
  });

  test("a client speaking another API version gets a message naming both versions", async () => {
    await using s = await startTestServer();
    const r = await post(s.app, endpointPath(addCheckpoint), "{}", { [API_VERSION_HEADER]: "999" });
    expect(r.status).toBe(426);
    expect(r.body.error?.code).toBe("VERSION_MISMATCH");
    expect(r.body.error?.message).toContain("API version 999");
    expect(r.body.error?.hint).toContain("upgrade the walt server");
  });

  test("a user name cannot be registered twice", async () => {
    await using s = await startTestServer();
    const users = new UserRepo(s.ctx.db, s.ctx.clock);
    await users.register("alice");
    expect(users.register("alice")).rejects.toThrow("User name 'alice' is already registered on this server.");
  });

  test("unknown endpoints answer 404 with the envelope", async () => {
    await using s = await startTestServer();
    const r = await post(s.app, "/api/cli/v1/nope", "{}");
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe("NOT_FOUND");
  });
});

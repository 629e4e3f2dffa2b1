import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../src/log.ts";
import { accessViolation, memoryFile, resolveRequest, rpiSerialRoute, type TftpRequest, type TftpRoute } from "./routes.ts";

const req = (path: string): TftpRequest => ({ path, clientIp: "192.168.152.10", clientPort: 2000 });
const decline = (name: string, reason = "not mine"): TftpRoute => ({ name, tryServe: () => Promise.resolve({ handled: false, reason }) });
const serve = (name: string, content = name): TftpRoute => ({
  name,
  tryServe: () => Promise.resolve({ handled: true, open: () => Promise.resolve(memoryFile(new TextEncoder().encode(content))) }),
});
/** Serves only the given names and records what it was asked. */
const recordRoute = (names: string[], asked: string[]): TftpRoute => ({
  name: "record",
  tryServe: (r) => {
    asked.push(r.path);
    return Promise.resolve(names.includes(r.path) ? { handled: true, open: () => Promise.resolve(memoryFile(new Uint8Array(1))) } : { handled: false, reason: `no ${r.path}` });
  },
});

describe("tftp router", () => {
  test("the first route that handles the request wins", async () => {
    const r = await resolveRequest([decline("a"), serve("b"), serve("c")], req("x"), silentLogger);
    expect(r.ok && r.route).toBe("b");
  });

  test("every route declining gives File not found with the reasons", async () => {
    const r = await resolveRequest([decline("a", "no such file"), decline("b", "not mapped")], req("x"), silentLogger);
    expect(r).toEqual({ ok: false, code: 1, message: "File not found", reason: "a: no such file; b: not mapped" });
  });

  test("a refusal stops the walk: later routes cannot serve what was refused", async () => {
    const refusing: TftpRoute = { name: "tree", tryServe: () => Promise.reject(accessViolation("escapes")) };
    const r = await resolveRequest([refusing, serve("static")], req("../etc/passwd"), silentLogger);
    expect(r).toEqual({ ok: false, code: 2, message: "Access violation", reason: "escapes", route: "tree" });
  });

  test("a route that throws something else gives error 0 and does not throw", async () => {
    const broken: TftpRoute = { name: "broken", tryServe: () => Promise.reject(new Error("db down")) };
    const r = await resolveRequest([broken], req("x"), silentLogger);
    expect(r).toMatchObject({ ok: false, code: 0, message: "Internal error" });
  });

  test("a refusal from open() is an error packet too", async () => {
    const route: TftpRoute = { name: "r", tryServe: () => Promise.resolve({ handled: true, open: () => Promise.reject(accessViolation("raced")) }) };
    expect(await resolveRequest([route], req("x"), silentLogger)).toMatchObject({ ok: false, code: 2 });
  });
});

describe("raspberry pi serial route", () => {
  const cases: [string, string | null][] = [
    ["1a2b3c4d/start4.elf", "start4.elf"],
    ["1a2b3c4d//config.txt", "config.txt"],
    ["/1a2b3c4d/overlays/overlay_map.dtb", "overlays/overlay_map.dtb"],
    ["start4.elf", null],
    ["1A2B3C4D/start4.elf", null],
    ["1a2b3c4/start4.elf", null],
    ["1a2b3c4d", null],
    ["dc-a6-32-01-02-03/start4.elf", null],
  ];
  test.each(cases)("%s is asked of the inner route as %p", async (path, inner) => {
    const asked: string[] = [];
    const r = await rpiSerialRoute(recordRoute(inner ? [inner] : [], asked)).tryServe(req(path));
    expect(r.handled).toBe(inner !== null);
    expect(asked).toEqual(inner ? [inner] : []);
  });

  test("placed after the plain route, a real serial directory wins", async () => {
    const asked: string[] = [];
    const tree = recordRoute(["1a2b3c4d/start4.elf"], asked);
    const r = await resolveRequest([tree, rpiSerialRoute(tree)], req("1a2b3c4d/start4.elf"), silentLogger);
    expect(r.ok && r.route).toBe("record");
    expect(asked).toEqual(["1a2b3c4d/start4.elf"]);
  });
});

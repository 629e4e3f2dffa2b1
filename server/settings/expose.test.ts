import { describe, expect, test } from "bun:test";
import { checkExpose, currentRedirects, parseExpose, type Redirect } from "./expose.ts";
import { env, failure, rpi } from "./test-fixtures.ts";

describe("expose values", () => {
  const cases: [string, Redirect[] | null][] = [
    ["none", []],
    ["80:8080", [{ devicePort: 80, serverPort: 8080 }]],
    [
      "80:8088,443:8443",
      [
        { devicePort: 80, serverPort: 8088 },
        { devicePort: 443, serverPort: 8443 },
      ],
    ],
    ["080:08080", [{ devicePort: 80, serverPort: 8080 }]],
    ["80", null],
    ["80:", null],
    ["80:8080,", null],
    ["NONE", null],
    ["a:b", null],
  ];
  test.each(cases)("%j parses as %j", (value, expected) => {
    expect(parseExpose(value)).toEqual(expected);
  });

  test("current redirects come from the stored expose values of every device", () => {
    const devices = [rpi("a", { ip: "192.168.152.5", conf: { expose: "80:8080,22:2222" } }), rpi("b", { conf: { expose: "none" } }), rpi("c")];
    expect([...currentRedirects(devices)]).toEqual([
      [8080, "192.168.152.5"],
      [2222, "192.168.152.5"],
    ]);
  });
});

describe("expose checks", () => {
  const owner = rpi("exp", { ip: "192.168.152.99", conf: { expose: "80:8080,22:2222" } });
  const other = rpi("rpi1", { ip: "192.168.152.20" });
  const all = [owner, other];
  const bindErrors = { "9999": "Address already in use", "8443": "Permission denied" };
  const INVALID =
    "USAGE Failed: '80' is not a valid value for option 'expose'.\n" +
    "        Use for example '80:8088' (device port 80 <-> server port 8088), or 'none'.\n" +
    "        Several redirects are possible, e.g., '80:8088,443:8443'.";
  const cases: [string, string, typeof owner, string][] = [
    ["none is always fine", "none", other, "no error"],
    ["a free port is fine", "80:8088", other, "no error"],
    ["an invalid value", "80", other, INVALID],
    ["the same device port twice", "80:8088,80:8089", other, "USAGE Failed: cannot use several times the same device port number."],
    ["the same server port twice", "80:8088,81:8088", other, "USAGE Failed: cannot use several times the same server port number."],
    ["a port the server cannot bind", "90:9999", other, "CONFLICT Failed: cannot use server port '9999': Address already in use."],
    ["a bind error on the second redirect", "80:8088,443:8443", other, "CONFLICT Failed: cannot use server port '8443': Permission denied."],
    ["a port redirected to another device", "22:2222", other, "CONFLICT Failed: server port '2222' is already used for another redirect."],
    ["a port already redirected to the same device", "80:2222", owner, "no error"],
  ];
  test.each(cases)("%s", async (_what, value, target, outcome) => {
    expect(await failure(() => checkExpose(target, value, env(all, bindErrors)))).toBe(outcome);
  });

  test("ports already redirected are not bind-tested again", async () => {
    const tested: number[] = [];
    const e = { allDevices: all, canBindPort: (p: number) => (tested.push(p), Promise.resolve(null)) };
    await checkExpose(owner, "22:2222,80:8081", e);
    expect(tested).toEqual([8081]);
  });
});

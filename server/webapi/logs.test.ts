import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { secondsToUs, type WebApiLog } from "./logs.ts";
import { addNode, get, SERVER_MAC, T0_US, testEnv, type TestEnv } from "./test-context.ts";

let env: TestEnv;
const NODE_MAC = "52:54:00:00:00:10";
const NOW = T0_US / 1e6;
type Logs = { num_logs: number; logs: WebApiLog[] };

const logs = async (query: string): Promise<Logs> => {
  const r = await get(env, `/api/v1/logs?${query}`);
  expect(r.status).toBe(200);
  const body = r.body as Logs;
  expect(body.num_logs).toBe(body.logs.length);
  return body;
};
const lines = (b: Logs): unknown[] => b.logs.map((l) => l.line);
const error = async (query: string): Promise<string> => {
  const r = await get(env, `/api/v1/logs?${query}`, { Prefer: "errors=text-only" });
  expect(r.status).toBe(400);
  return r.text.replace(/\n$/, "");
};
const last = (minutes: number): string => `from=${NOW - minutes * 60}&to=${NOW}`;

beforeEach(async () => {
  env = await testEnv();
  await addNode(env, { mac: NODE_MAC, name: "vnode1", image: "alice/pc:latest" });
  const at = (s: number) => T0_US - s * 1e6;
  await env.ctx.logs.ingest(SERVER_MAC, "platform.nodes", [{ line: "node vnode1 is booted", tsUs: at(10) }]);
  await env.ctx.logs.ingest(NODE_MAC, "my.stream", [{ line: "dotted", tsUs: at(4.25) }]);
  await env.ctx.logs.ingest(NODE_MAC, "myXstream", [{ line: "x", tsUs: at(3) }]);
  await env.ctx.logs.ingest(NODE_MAC, "my.stream", [{ line: "early", tsUs: at(20) }]);
});
afterEach(() => env.close());

describe("GET /api/v1/logs", () => {
  test("returns the records in time order with exactly 4 keys and float-second timestamps", async () => {
    const body = await logs(last(1));
    expect(lines(body)).toEqual(["early", "node vnode1 is booted", "dotted", "x"]);
    for (const l of body.logs) expect(Object.keys(l)).toEqual(["timestamp", "line", "issuer", "stream"]);
    expect(body.logs[1]).toEqual({ timestamp: NOW - 10, line: "node vnode1 is booted", issuer: "walt-server", stream: "platform.nodes" });
    expect(body.logs[2]?.timestamp).toBe(NOW - 4.25);
  });

  test("both bounds are exclusive", async () => {
    expect(lines(await logs(`from=${NOW - 10}&to=${NOW - 3}`))).toEqual(["dotted"]);
    expect((await logs(`from=${NOW - 5}&to=${NOW - 5}`)).num_logs).toBe(0);
  });

  test("ts_unit=ms scales the bounds and the returned timestamps", async () => {
    const body = await logs(`from=${(NOW - 60) * 1000}&to=${NOW * 1000}&ts_unit=ms&issuer=walt-server&stream=platform.nodes`);
    expect(body.logs).toEqual([{ timestamp: (NOW - 10) * 1000, line: "node vnode1 is booted", issuer: "walt-server", stream: "platform.nodes" }]);
  });

  test("issuer selects one device by its exact name", async () => {
    expect(lines(await logs(`${last(1)}&issuer=vnode1`))).toEqual(["early", "dotted", "x"]);
    expect((await logs(`${last(1)}&issuer=vnode`)).num_logs).toBe(0);
    expect((await logs(`${last(1)}&issuer=`)).num_logs).toBe(4);
  });

  test("stream selects one stream by its exact name, dots included", async () => {
    expect(lines(await logs(`${last(1)}&stream=my.stream`))).toEqual(["early", "dotted"]);
    expect((await logs(`${last(1)}&stream=my`)).num_logs).toBe(0);
    expect((await logs(`${last(1)}&stream=`)).num_logs).toBe(4);
  });

  test("from and to are required", async () => {
    expect(await error("from=1")).toBe("Query parameters 'from' and 'to' are required.");
    expect(await error("to=1&ts_unit=zz")).toBe("Query parameters 'from' and 'to' are required.");
  });

  test("from and to must be floats, checked before the unit", async () => {
    expect(await error("from=abc&to=1&ts_unit=zz")).toBe("cannot interpret 'abc' as a 'float'.");
    expect(await error(`from=${NOW}&to=`)).toBe("cannot interpret '' as a 'float'.");
    expect(await error(`from=${NOW}&to=null`)).toBe("cannot interpret 'None' as a 'float'.");
  });

  test("ts_unit must be s or ms", async () => {
    expect(await error(`${last(1)}&ts_unit=h`)).toBe("Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)");
    expect(await error(`${last(1)}&ts_unit=`)).toBe("Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)");
  });

  test("bounds before WALT's startup date are refused", async () => {
    expect(await error(`from=1339999999.9&to=${NOW}`)).toBe("Query parameter 'ts_from' is invalid (earlier than WALT project startup date!)");
    expect(await error(`from=${NOW}&to=1000`)).toBe("Query parameter 'ts_to' is invalid (earlier than WALT project startup date!)");
    // Seconds given while ts_unit=ms land in 1970.
    expect(await error(`${last(1)}&ts_unit=ms`)).toBe("Query parameter 'ts_from' is invalid (earlier than WALT project startup date!)");
    expect((await logs(`from=1340000000&to=${NOW}`)).num_logs).toBe(4);
  });

  test("bounds more than 2 seconds in the future are refused", async () => {
    const future =
      "is invalid, it refers to a date in the future.\n" +
      "Note: you can use 'ts_unit' query parameter to specify the unit (i.e. 's' for seconds, 'ms' for milliseconds).";
    expect(await error(`from=${NOW}&to=${NOW + 2.5}`)).toBe(`Query parameter 'ts_to' ${future}`);
    expect(await error(`from=${NOW * 1000}&to=${NOW}`)).toBe(`Query parameter 'ts_from' ${future}`);
    expect(await error(`from=${NOW}&to=Infinity`)).toBe(`Query parameter 'ts_to' ${future}`);
    expect((await logs(`from=${NOW - 60}&to=${NOW + 2}`)).num_logs).toBe(4);
  });

  test("the future limit follows the server clock", async () => {
    env.clock.advance(60e6);
    await env.ctx.logs.ingest(NODE_MAC, "later", [{ line: "later" }]);
    expect(lines(await logs(`from=${NOW}&to=${NOW + 61}`))).toEqual(["later"]);
  });

  test("NaN bounds give an empty result, as WALT's failing query does", async () => {
    expect(await logs("from=NaN&to=NaN")).toEqual({ num_logs: 0, logs: [] });
  });

  test("seconds are converted to microseconds with Python's rounding", () => {
    expect(secondsToUs(1700000000.0000005)).toBe(1700000000000000);
    expect(secondsToUs(1700000000.25)).toBe(1700000000250000);
  });
});

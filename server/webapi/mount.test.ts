import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { jsonErrorBody, preferredErrorFormat } from "./errors.ts";
import { get, testEnv, type TestEnv } from "./test-context.ts";

let env: TestEnv;
beforeEach(async () => {
  env = await testEnv();
});
afterEach(() => env.close());

describe("the /api page", () => {
  test("lists the three entrypoints at /api and /api/index.html", async () => {
    for (const path of ["/api", "/api/index.html"]) {
      const r = await get(env, path);
      expect(r.status).toBe(200);
      expect(r.type).toStartWith("text/html");
      for (const e of ["/api/v1/nodes", "/api/v1/images", "/api/v1/logs"]) expect(r.text).toContain(e);
    }
  });
});

describe("error body formats", () => {
  const path = "/api/v1/nodes?color=red";
  const msg = "'color' is not a valid filtering field.";

  test("Prefer: errors=text-only answers the message and a newline as plain text", async () => {
    const r = await get(env, path, { Prefer: "errors=text-only" });
    expect(r.status).toBe(400);
    expect(r.type).toStartWith("text/plain");
    expect(r.text).toBe(`${msg}\n`);
  });

  test("Prefer: errors=json answers WALT's JSON body byte for byte", async () => {
    const r = await get(env, path, { Prefer: "errors=json" });
    expect(r.status).toBe(400);
    expect(r.type).toStartWith("application/json");
    expect(r.text).toBe(`{"error": "${msg}", "status_code": 400}`);
  });

  test("without Prefer, or with another value, the JSON body is the default", async () => {
    for (const headers of [{}, { Prefer: "errors=html" }, { Prefer: "return=minimal, errors=text-only" }]) {
      const r = await get(env, path, headers);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: msg, status_code: 400 });
    }
  });

  test("the JSON body escapes non-ASCII characters as Python does", async () => {
    const r = await get(env, "/api/v1/images?%C3%A9t%C3%A9=1");
    expect(r.text).toBe(`{"error": "'\\u00e9t\\u00e9' is not a valid filtering field.", "status_code": 400}`);
  });

  test("only a header starting with errors= selects a format", () => {
    expect(preferredErrorFormat("errors=text-only")).toBe("text-only");
    expect(preferredErrorFormat("errors=json")).toBe("json");
    expect(preferredErrorFormat(undefined)).toBe("json");
    expect(jsonErrorBody("a\nb", 400)).toBe('{"error": "a\\nb", "status_code": 400}');
  });
});

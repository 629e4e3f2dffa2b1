import { describe, expect, test } from "bun:test";
import { parseWwwAuthenticate } from "./www-authenticate.ts";

describe("parseWwwAuthenticate", () => {
  test("Docker Hub bearer challenge", () => {
    const h = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';
    expect(parseWwwAuthenticate(h)).toEqual([
      { scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/ubuntu:pull" } },
    ]);
  });

  test("basic challenge of the distribution registry", () => {
    expect(parseWwwAuthenticate('Basic realm="basic-realm"')).toEqual([{ scheme: "basic", params: { realm: "basic-realm" } }]);
  });

  test("several challenges, spaces, unquoted values and escapes", () => {
    const h = 'Basic realm="a \\"b\\"" , Bearer realm=https://x/token, service = reg ,error="insufficient_scope"';
    expect(parseWwwAuthenticate(h)).toEqual([
      { scheme: "basic", params: { realm: 'a "b"' } },
      { scheme: "bearer", params: { realm: "https://x/token", service: "reg", error: "insufficient_scope" } },
    ]);
  });

  test("scheme names are case-insensitive, parameter names too", () => {
    expect(parseWwwAuthenticate('BEARER Realm="r",Scope="repository:a/b:pull,push"')).toEqual([
      { scheme: "bearer", params: { realm: "r", scope: "repository:a/b:pull,push" } },
    ]);
  });

  test("a scheme without parameters and a token68 challenge", () => {
    expect(parseWwwAuthenticate("Negotiate abc==, Basic")).toEqual([
      { scheme: "negotiate", params: { token68: "abc==" } },
      { scheme: "basic", params: {} },
    ]);
  });

  test("empty or garbage header gives no usable challenge", () => {
    expect(parseWwwAuthenticate("")).toEqual([]);
    expect(parseWwwAuthenticate(" , ,")).toEqual([]);
  });
});

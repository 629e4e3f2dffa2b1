import { describe, expect, test } from "bun:test";
import { nextPageUrl, parseLinkHeader } from "./link-header.ts";

describe("parseLinkHeader", () => {
  test("the registry's next link", () => {
    expect(parseLinkHeader('</v2/_catalog?last=b&n=2>; rel="next"')).toEqual([{ url: "/v2/_catalog?last=b&n=2", params: { rel: "next" } }]);
  });

  test("several links, unquoted and valueless parameters, commas inside URLs", () => {
    expect(parseLinkHeader('<https://h/a?x=1,2>; rel=prev; title="a, b", </b>;rel="next";anchor')).toEqual([
      { url: "https://h/a?x=1,2", params: { rel: "prev", title: "a, b" } },
      { url: "/b", params: { rel: "next", anchor: "" } },
    ]);
  });

  test("garbage gives nothing", () => {
    expect(parseLinkHeader("")).toEqual([]);
    expect(parseLinkHeader("rel=next")).toEqual([]);
  });
});

describe("nextPageUrl", () => {
  const base = "http://127.0.0.1:5000/v2/_catalog?n=2";
  test("resolves a relative next link against the request URL", () => {
    expect(nextPageUrl('</v2/_catalog?last=b&n=2>; rel="next"', base)).toBe("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
  });
  test("rel may list several relation types", () => {
    expect(nextPageUrl('</x>; rel="last next"', base)).toBe("http://127.0.0.1:5000/x");
  });
  test("no header or no next link means last page", () => {
    expect(nextPageUrl(null, base)).toBeUndefined();
    expect(nextPageUrl('</x>; rel="prev"', base)).toBeUndefined();
  });
});

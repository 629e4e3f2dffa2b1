import { describe, expect, test } from "bun:test";
import { detectMediaType, formatPlatform, MEDIA, parseManifest, resolvePlatform, type ImageIndex } from "./manifest.ts";

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const d = (n: number): string => `sha256:${n.toString(16).padStart(64, "0")}`;

describe("parseManifest", () => {
  test("an OCI manifest gives its config and layers", () => {
    const m = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: d(1), size: 10 }, layers: [{ mediaType: MEDIA.ociLayerGzip, digest: d(2), size: 20 }] };
    expect(parseManifest(enc(m), MEDIA.ociManifest)).toEqual({
      kind: "manifest",
      config: { mediaType: MEDIA.ociConfig, digest: d(1), size: 10 },
      layers: [{ mediaType: MEDIA.ociLayerGzip, digest: d(2), size: 20 }],
    });
  });

  test("a Docker manifest list gives platforms", () => {
    const l = { schemaVersion: 2, mediaType: MEDIA.dockerList, manifests: [{ mediaType: MEDIA.dockerManifest, digest: d(3), size: 5, platform: { os: "linux", architecture: "arm", variant: "v7" } }] };
    expect(parseManifest(enc(l), MEDIA.dockerList)).toEqual({
      kind: "index",
      manifests: [{ mediaType: MEDIA.dockerManifest, digest: d(3), size: 5, platform: { os: "linux", architecture: "arm", variant: "v7" } }],
    });
  });

  test("bad documents are refused with one line", () => {
    expect(() => parseManifest(new TextEncoder().encode("{"), MEDIA.ociManifest)).toThrow("Invalid image manifest: not JSON.");
    expect(() => parseManifest(enc({ schemaVersion: 1 }), MEDIA.ociManifest)).toThrow("schema version 1 is not supported");
    expect(() => parseManifest(enc({ schemaVersion: 2, config: { digest: "sha256:x", size: 1 }, layers: [] }), MEDIA.ociManifest)).toThrow("config has no valid sha256 digest");
    expect(() => parseManifest(enc({ schemaVersion: 2, config: { digest: d(1), size: -1 }, layers: [] }), MEDIA.ociManifest)).toThrow("config has no valid size");
    expect(() => parseManifest(enc({ schemaVersion: 2 }), "text/plain")).toThrow('media type "text/plain" is not supported');
  });
});

describe("detectMediaType", () => {
  test("Content-Type first, then the document, then its shape", () => {
    expect(detectMediaType(`${MEDIA.dockerManifest}; charset=utf-8`, {})).toBe(MEDIA.dockerManifest);
    expect(detectMediaType("application/json", { mediaType: MEDIA.ociIndex })).toBe(MEDIA.ociIndex);
    expect(detectMediaType(null, { manifests: [] })).toBe(MEDIA.ociIndex);
    expect(detectMediaType(null, { config: {} })).toBe(MEDIA.ociManifest);
  });
});

describe("resolvePlatform", () => {
  const entry = (n: number, architecture: string, variant?: string) => ({
    mediaType: MEDIA.ociManifest,
    digest: d(n),
    size: 1,
    platform: { os: "linux", architecture, ...(variant ? { variant } : {}) },
  });
  const index: ImageIndex = { kind: "index", manifests: [entry(1, "amd64"), entry(2, "arm", "v6"), entry(3, "arm", "v7"), entry(4, "arm64", "v8"), { mediaType: MEDIA.ociManifest, digest: d(5), size: 1, platform: { os: "unknown", architecture: "unknown" } }] };

  test("picks by os and architecture", () => {
    expect(resolvePlatform(index, { os: "linux", architecture: "amd64" })?.digest).toBe(d(1));
    expect(resolvePlatform(index, { os: "linux", architecture: "arm64" })?.digest).toBe(d(4));
  });
  test("a wanted variant must match", () => {
    expect(resolvePlatform(index, { os: "linux", architecture: "arm", variant: "v7" })?.digest).toBe(d(3));
    expect(resolvePlatform(index, { os: "linux", architecture: "arm", variant: "v5" })).toBeUndefined();
  });
  test("missing platform gives undefined", () => {
    expect(resolvePlatform(index, { os: "linux", architecture: "riscv64" })).toBeUndefined();
    expect(formatPlatform({ os: "linux", architecture: "arm", variant: "v7" })).toBe("linux/arm/v7");
  });
});

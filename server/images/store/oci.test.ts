import { describe, expect, test } from "bun:test";
import { MediaType, createdUsOf, labelsOf, layerCompression, modelsOf, parseConfig, parseIndex, parseManifest, type ImageConfig } from "./oci.ts";

const D1 = "sha256:" + "1".repeat(64);
const D2 = "sha256:" + "2".repeat(64);

const config = (over: Partial<ImageConfig> = {}): ImageConfig =>
  parseConfig(JSON.stringify({ rootfs: { type: "layers", diff_ids: [D1] }, ...over }));

describe("OCI documents", () => {
  test("an OCI manifest and a Docker schema2 manifest both parse, keeping unknown fields", () => {
    const oci = parseManifest(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: D1, size: 10 }, layers: [{ mediaType: MediaType.ociLayerZstd, digest: D2, size: 5 }], extra: 1 }),
    );
    expect(oci.layers[0]?.digest).toBe(D2);
    expect((oci as Record<string, unknown>)["extra"]).toBe(1);
    const docker = parseManifest(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifest, config: { mediaType: MediaType.dockerConfig, digest: D1, size: 10 }, layers: [] }),
    );
    expect(docker.config.mediaType).toBe(MediaType.dockerConfig);
  });

  test("malformed documents are refused with where and why", () => {
    expect(() => parseManifest("{")).toThrow(/^Invalid image manifest: not JSON/);
    expect(() => parseManifest(JSON.stringify({ schemaVersion: 2, config: { mediaType: "x", digest: "md5:1", size: 1 }, layers: [] }))).toThrow(
      "Invalid image manifest at config.digest: expected sha256:<64 hex digits>.",
    );
    expect(() => parseManifest(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, config: { mediaType: "x", digest: D1, size: 1 }, layers: [] }))).toThrow(
      /unexpected media type/,
    );
    expect(() => parseConfig(JSON.stringify({}))).toThrow(/^Invalid image config at rootfs/);
  });

  test("an index lists its manifests with platforms and annotations", () => {
    const idx = parseIndex(
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest: D1, size: 3, platform: { os: "linux", architecture: "amd64" }, annotations: { "org.opencontainers.image.ref.name": "a/b:c" } }] }),
    );
    expect(idx.manifests[0]?.platform?.architecture).toBe("amd64");
    expect(idx.manifests[0]?.annotations?.["org.opencontainers.image.ref.name"]).toBe("a/b:c");
  });

  test("layer compression follows the media type of OCI and Docker layers", () => {
    expect(layerCompression(MediaType.ociLayer)).toBe("none");
    expect(layerCompression(MediaType.ociLayerGzip)).toBe("gzip");
    expect(layerCompression(MediaType.dockerLayerGzip)).toBe("gzip");
    expect(layerCompression(MediaType.ociLayerZstd)).toBe("zstd");
    expect(() => layerCompression("application/x-foo")).toThrow("Unsupported layer media type 'application/x-foo'.");
  });

  test("labels and models come from config.Labels, and null labels mean none", () => {
    const c = config({ config: { Labels: { "walt.node.models": " rpi-b, pc-x86-64,,qemu-arm ", "walt.server.spec": "{}" } } });
    expect(modelsOf(c)).toEqual(["rpi-b", "pc-x86-64", "qemu-arm"]);
    expect(labelsOf(c)["walt.server.spec"]).toBe("{}");
    expect(modelsOf(config({ config: { Labels: null } }))).toEqual([]);
    expect(labelsOf(config())).toEqual({});
  });

  test("the created time keeps microseconds and honours the offset", () => {
    expect(createdUsOf(config({ created: "2023-11-14T22:13:20.123456789Z" }))).toBe(1_700_000_000_123_456);
    expect(createdUsOf(config({ created: "2023-11-14T23:13:20+01:00" }))).toBe(1_700_000_000_000_000);
    expect(createdUsOf(config({ created: "yesterday" }))).toBeUndefined();
    expect(createdUsOf(config())).toBeUndefined();
  });
});

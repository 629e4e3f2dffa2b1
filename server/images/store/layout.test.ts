import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { rejection } from "./fixtures.ts";
import { MediaType } from "./oci.ts";
import { REF_NAME, readLayout, writeLayout, type LayoutEntry } from "./layout.ts";

const D1 = "sha256:" + "1".repeat(64);
const D2 = "sha256:" + "2".repeat(64);

describe("OCI layout files", () => {
  test("index.json lists every tagged image under its fullname, sorted, and reads back", async () => {
    using dir = tempDir();
    const tmp = join(dir.path, "tmp");
    mkdirSync(tmp);
    const entries: LayoutEntry[] = [
      { fullname: "zoe/img:latest", digest: D2, size: 20, mediaType: MediaType.dockerManifest },
      { fullname: "ann/img:v1", digest: D1, size: 10, mediaType: MediaType.ociManifest },
    ];
    await writeLayout(dir.path, entries, tmp);
    expect(JSON.parse(readFileSync(join(dir.path, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const index = JSON.parse(readFileSync(join(dir.path, "index.json"), "utf8")) as { mediaType: string; manifests: { annotations: Record<string, string> }[] };
    expect(index.mediaType).toBe(MediaType.ociIndex);
    expect(index.manifests.map((m) => m.annotations[REF_NAME])).toEqual(["ann/img:v1", "zoe/img:latest"]);
    const refs = await readLayout(dir.path);
    expect(refs.map((r) => [r.refName, r.descriptor.digest, r.descriptor.size, r.descriptor.mediaType])).toEqual([
      ["ann/img:v1", D1, 10, MediaType.ociManifest],
      ["zoe/img:latest", D2, 20, MediaType.dockerManifest],
    ]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("rewriting with fewer tags replaces the whole index", async () => {
    using dir = tempDir();
    await writeLayout(dir.path, [{ fullname: "a/b:c", digest: D1, size: 1, mediaType: MediaType.ociManifest }], dir.path);
    await writeLayout(dir.path, [], dir.path);
    expect(await readLayout(dir.path)).toEqual([]);
  });

  test("a directory that is not an OCI layout is refused", async () => {
    using dir = tempDir();
    expect((await rejection(readLayout(dir.path))).message).toBe(`${dir.path} is not an OCI image layout (no valid oci-layout file).`);
    writeFileSync(join(dir.path, "oci-layout"), JSON.stringify({ imageLayoutVersion: "2.0.0" }));
    expect((await rejection(readLayout(dir.path))).message).toMatch(/unsupported OCI image layout version "2.0.0"/);
  });
});

/**
 * A new image = an image plus one layer: the changeset directory written as a layer (layer-writer), the base
 * config with the layer's diff_id appended and a history entry, the base manifest with the layer appended.
 * Everything else of the base (labels, env, media types) is kept as it is.
 */
import { WaltError } from "../../../src/errors.ts";
import { writeLayer } from "../build/layer-writer.ts";
import { MediaType } from "../store/oci.ts";
import type { ImageStore } from "../store/store.ts";

/** WALT §4.10: an image with this many layers cannot be modified any more (walt image squash). */
export const MAX_LAYERS = 128;

export const layerLimitMessage = (imageName: string): string =>
  `Cannot open image ${imageName} because it has already reached its max number of layers.\n(tip: walt image squash ${imageName})`;

type Json = Record<string, unknown>;

const parseJson = (bytes: Uint8Array): Json => JSON.parse(new TextDecoder().decode(bytes)) as Json;

/** Layers a history lists as non-empty (OCI: history entries of layers, plus `empty_layer` ones). */
const nonEmptyHistory = (history: unknown): number | undefined =>
  Array.isArray(history) ? history.filter((h) => !(h as { empty_layer?: boolean } | null)?.empty_layer).length : undefined;

export interface CommitOptions {
  store: ImageStore;
  /** Manifest digest of the image being modified. */
  base: string;
  /** The changeset directory (see diff.ts). */
  diffDir: string;
  /** History `created_by`, e.g. `walt image shell`. */
  createdBy: string;
  now: Date;
}

/** Store the new image; answer its manifest digest (untagged: the caller tags it). */
export async function commitLayer(o: CommitOptions): Promise<string> {
  const { store } = o;
  return store.hold(async () => {
    const manifest = parseJson(await store.blobs.bytes(o.base));
    const base = await store.manifest(o.base);
    if (base.layers.length >= MAX_LAYERS) throw new WaltError("PRECONDITION", `Image ${o.base} has ${MAX_LAYERS} layers already.`);
    const config = parseJson(await store.blobs.bytes(base.config.digest));
    const docker = base.mediaType === MediaType.dockerManifest;
    // As root, owners are those of the working copy; otherwise the unpack could not set them, and root is right.
    const owner = process.getuid?.() === 0 ? {} : { owner: { uid: 0, gid: 0 } };
    const layer = await writeLayer(o.diffDir, store.blobs, { compression: "gzip", ...owner });
    const created = o.now.toISOString();
    const rootfs = (config["rootfs"] ?? {}) as { diff_ids?: string[] };
    const history = config["history"];
    const newConfig: Json = {
      ...config,
      created,
      rootfs: { ...rootfs, type: "layers", diff_ids: [...(rootfs.diff_ids ?? []), layer.diffId] },
    };
    // Tools check that non-empty history entries match the layers: only extend a history that already does.
    if (nonEmptyHistory(history) === base.layers.length) {
      newConfig["history"] = [...(history as unknown[]), { created, created_by: o.createdBy }];
    }
    const configBlob = await store.blobs.put(JSON.stringify(newConfig));
    const layerDesc = { mediaType: docker ? MediaType.dockerLayerGzip : MediaType.ociLayerGzip, digest: layer.digest, size: layer.size };
    const newManifest: Json = {
      ...manifest,
      config: { ...(manifest["config"] as Json), digest: configBlob.digest, size: configBlob.size },
      layers: [...(manifest["layers"] as unknown[]), layerDesc],
    };
    return store.putManifest(new TextEncoder().encode(JSON.stringify(newManifest)));
  });
}

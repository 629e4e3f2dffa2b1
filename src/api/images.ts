/**
 * Image endpoints (`walt image …`, `walt advanced fix-image-owner|update-default-images`). Every operation
 * acts on the caller's working set (`<user>/…` images); WALT's messages travel as `messages` (stdout lines)
 * or as the error envelope. Long transfers (clone, publish, default image updates) stream ImageEvents.
 */
import { z } from "zod";
import { call, stream } from "./endpoint.ts";

/** Registry credentials from the client config (`registries.<label>.username/password`), per label. */
export const RegistryCredentials = z.record(z.string(), z.object({ username: z.string(), password: z.string() }).strict());
export type RegistryCredentials = z.infer<typeof RegistryCredentials>;

const credentials = RegistryCredentials.default({});

/** One tagged image, as `walt image show` and the web API list them. */
export const ImageInfo = z.object({
  fullname: z.string(),
  user: z.string(),
  /** User-facing name: `<name>` or `<name>:<tag>` (`:latest` omitted). */
  name: z.string(),
  inUse: z.boolean(),
  /** Creation time of the image (its config's `created`), µs since the epoch. */
  createdUs: z.number(),
  /** Label `walt.node.models`. */
  models: z.array(z.string()),
});
export type ImageInfo = z.infer<typeof ImageInfo>;

/** Lines to print on stdout (e.g. default images cloned into a new user's working set). */
const Messages = z.object({ messages: z.array(z.string()) });

export const showImages = call(
  "images.show",
  z.object({ refresh: z.boolean().default(false) }).strict(),
  z.object({ username: z.string(), messages: z.array(z.string()), images: z.array(ImageInfo) }),
);

/**
 * Events of a long image operation: stdout / stderr lines, transfers (a start listing the blobs to move,
 * byte progress per blob, an end), then `done` with the operation's result (image name, clonable link).
 */
export const ImageEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), text: z.string() }),
  z.object({ kind: z.literal("warning"), text: z.string() }),
  z.object({
    kind: z.literal("transfer-start"),
    /** e.g. `Downloading waltplatform/pc-x86-64-default:latest` (WALT prints `<label>... done.`). */
    label: z.string(),
    blobs: z.array(z.object({ digest: z.string(), size: z.number() })),
  }),
  z.object({ kind: z.literal("progress"), digest: z.string(), bytes: z.number() }),
  z.object({ kind: z.literal("transfer-end"), label: z.string() }),
  z.object({ kind: z.literal("done"), result: z.string() }),
]);
export type ImageEvent = z.infer<typeof ImageEvent>;

/** `walt image clone <link> [name] [--force]`; `done.result` is the user-facing name of the clone. */
export const cloneImage = stream(
  "images.clone",
  z.object({ link: z.string(), name: z.string().optional(), force: z.boolean().default(false), credentials }).strict(),
  ImageEvent,
);

/** A row of `walt image search`. */
export const SearchMatch = z.object({
  kind: z.literal("match"),
  user: z.string(),
  /** Without `:latest`. */
  name: z.string(),
  /** WALT's long location label: `walt (other user)`, `docker hub`, `custom registry`. */
  location: z.string(),
  models: z.array(z.string()),
  /** The clonable link, or WALT's `[Need server upgrade, version>=N]`. */
  link: z.string(),
});
export type SearchMatch = z.infer<typeof SearchMatch>;

export const SearchEvent = z.discriminatedUnion("kind", [SearchMatch, z.object({ kind: z.literal("warning"), text: z.string() })]);
export type SearchEvent = z.infer<typeof SearchEvent>;

export const searchImages = stream(
  "images.search",
  z.object({ keyword: z.string().optional(), credentials }).strict(),
  SearchEvent,
);

/** The configured registries, as `walt image publish` lists them. */
export const listRegistries = call(
  "images.registries",
  z.object({}).strict(),
  z.object({ registries: z.array(z.object({ label: z.string(), description: z.string() })) }),
);

/** `walt image publish --registry <label> <image>`; `done.result` is the clonable link of the published image. */
export const publishImage = stream(
  "images.publish",
  z.object({ registry: z.string(), image: z.string(), credentials }).strict(),
  ImageEvent,
);

const ImageAndNew = z.object({ image: z.string(), newName: z.string() }).strict();

export const renameImage = call("images.rename", ImageAndNew, Messages);
export const duplicateImage = call("images.duplicate", ImageAndNew, Messages);
export const removeImage = call("images.remove", z.object({ image: z.string() }).strict(), Messages);

/**
 * `walt image squash`: an image in use is squashed only once `confirmed` (the first reply then says
 * `needs-confirm` with WALT's warning, for stderr).
 */
export const squashImage = call(
  "images.squash",
  z.object({ image: z.string(), confirmed: z.boolean().default(false) }).strict(),
  z.discriminatedUnion("status", [
    z.object({ status: z.literal("needs-confirm"), warning: z.string(), messages: z.array(z.string()) }),
    z.object({ status: z.literal("done"), messages: z.array(z.string()) }),
  ]),
);

export const fixImageOwner = call("images.fix-owner", z.object({ otherUser: z.string() }).strict(), Messages);

export const updateDefaultImages = stream("images.update-defaults", z.object({ credentials }).strict(), ImageEvent);

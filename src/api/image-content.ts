/**
 * Endpoints that change or read the content of an image: `walt image cp`, `walt image shell`, `walt image build`.
 *
 * Besides ordinary JSON calls, three endpoints carry raw bodies (declared with `raw(...)`): the request parameters
 * travel in the `x-walt-params` header (URI-encoded JSON, validated by `params`), the body is a tar archive or an
 * NDJSON stream of client events, and the reply is a tar archive or NDJSON server events. Auth and version headers
 * are the contract's.
 */
import { z } from "zod";
import { call } from "./endpoint.ts";

/** Header carrying the parameters of a raw endpoint (encodeURIComponent of their JSON). */
export const PARAMS_HEADER = "x-walt-params";
export const TAR_CONTENT_TYPE = "application/x-tar";
export const NDJSON_CONTENT_TYPE = "application/x-ndjson";

/** An endpoint whose body is not JSON: only its parameters are. */
export interface RawEndpoint<P extends z.ZodType = z.ZodType> {
  readonly kind: "raw";
  readonly name: string;
  readonly params: P;
}

const raw = <P extends z.ZodType>(name: string, params: P): RawEndpoint<P> => ({ kind: "raw", name, params });

/** The type of a path: regular file, directory, other (device, socket...), or absent. */
export const FileType = z.enum(["f", "d", "o"]).nullable();
export type FileType = z.infer<typeof FileType>;

/** `walt image cp` step 1: the server checks both operands (the client stats its own path). */
export const validateImageCp = call(
  "images.cp.validate",
  z
    .object({
      src: z.string(),
      dst: z.string(),
      /** Type of the local operand's path (following symlinks). */
      localType: FileType,
      /** Type of its parent directory (used when the local operand is the destination and does not exist). */
      localParentType: FileType,
    })
    .strict(),
  z.object({
    /** NEEDS_CONFIRM: writing into the image reboots nodes; `warning` says how many. */
    status: z.enum(["OK", "NEEDS_CONFIRM"]),
    warning: z.string().optional(),
    direction: z.enum(["to-image", "from-image"]),
    image: z.string(),
    srcPath: z.string(),
    dstDir: z.string(),
    dstName: z.string(),
  }),
);
export type CpPlan = z.infer<typeof validateImageCp.output>;

/** Step 2 (client → image): the body is a tar whose single top entry is `dstName`; extracted into `dstDir`. */
export const imageCpToImage = raw("images.cp.to-image", z.object({ image: z.string(), dstDir: z.string() }).strict());
export const CpToImageReply = z.object({ stdout: z.array(z.string()) });

/** Step 2 (image → client): the reply is a tar whose single top entry is `srcPath` renamed `dstName`. */
export const imageCpFromImage = raw(
  "images.cp.from-image",
  z.object({ image: z.string(), srcPath: z.string(), dstName: z.string() }).strict(),
);

/** `walt image shell`: one duplex request; its life is the session's (closing it discards unsaved changes). */
export const imageShell = raw(
  "images.shell",
  z
    .object({
      image: z.string(),
      /** Allocate a pseudo-terminal (the client is on a terminal). */
      tty: z.boolean(),
      cols: z.number().int().positive().max(1000).default(80),
      rows: z.number().int().positive().max(1000).default(24),
      term: z.string().max(64).optional(),
    })
    .strict(),
);

/** Client → server events of a shell session (body, one JSON per line). Data is base64. */
export const ShellClientEvent = z.discriminatedUnion("t", [
  z.object({ t: z.literal("in"), d: z.string() }),
  z.object({ t: z.literal("eof") }),
  z.object({ t: z.literal("resize"), cols: z.number().int().positive(), rows: z.number().int().positive() }),
  z.object({ t: z.literal("save"), name: z.string(), confirmed: z.boolean() }),
]);
export type ShellClientEvent = z.infer<typeof ShellClientEvent>;

/** Outcome of a save request (WALT's statuses). */
export const SaveStatus = z.enum(["NAME_NOT_OK", "NAME_NEEDS_CONFIRM", "OK"]);
export type SaveStatus = z.infer<typeof SaveStatus>;

/** Server → client events of a shell session. `ready` carries the name proposed by the save dialogue. */
export const ShellServerEvent = z.discriminatedUnion("t", [
  z.object({ t: z.literal("ready"), defaultName: z.string() }),
  z.object({ t: z.literal("out"), d: z.string() }),
  z.object({ t: z.literal("err"), d: z.string() }),
  z.object({ t: z.literal("exit"), code: z.number().int() }),
  z.object({ t: z.literal("saved"), status: SaveStatus, stdout: z.array(z.string()), stderr: z.array(z.string()) }),
]);
export type ShellServerEvent = z.infer<typeof ShellServerEvent>;

/** `walt image build` step 1: validate the name; tell whether it overwrites an image (the client confirms). */
export const prepareImageBuild = call(
  "images.build.prepare",
  z.object({ name: z.string() }).strict(),
  z.object({ overwrite: z.boolean(), warning: z.string().optional() }),
);

/** Step 2: dir mode sends the directory as a tar body; url mode sends no body. The reply is NDJSON BuildEvents. */
export const imageBuild = raw(
  "images.build",
  z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("dir"), name: z.string() }).strict(),
    z.object({ mode: z.literal("url"), name: z.string(), url: z.string().min(1), subdir: z.string().default("") }).strict(),
  ]),
);

export const BuildEvent = z.discriminatedUnion("t", [
  /** A line of the build's output (without its newline). */
  z.object({ t: z.enum(["out", "err"]), line: z.string() }),
  z.object({ t: z.literal("done"), ok: z.boolean() }),
]);
export type BuildEvent = z.infer<typeof BuildEvent>;

export type RawParams<E extends RawEndpoint> = z.input<E["params"]>;
export type ParsedRawParams<E extends RawEndpoint> = z.output<E["params"]>;

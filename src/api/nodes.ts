/** Node-specific endpoints: show, acquire, release, wait. */
import { z } from "zod";
import { call, stream } from "./endpoint.ts";
import { DeviceInfo, SetExpr } from "./devices.ts";

export const showNodes = call(
  "nodes.show",
  z.object({ all: z.boolean().default(false) }).strict(),
  z.object({ username: z.string(), nodes: z.array(DeviceInfo) }),
);

/** Ownership change: acquire clones the default image into the working set; release boots `default`. */
export const acquireNodes = call(
  "nodes.acquire",
  z.object({ set: SetExpr, force: z.boolean().default(false) }).strict(),
  z.object({ messages: z.array(z.string()) }),
);

export const releaseNodes = call(
  "nodes.release",
  z.object({ set: SetExpr }).strict(),
  z.object({ messages: z.array(z.string()) }),
);

/** Events of `walt node wait`: one `pending` list at start, `booted` per node, then `done`. */
export const WaitEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pending"), names: z.array(z.string()) }),
  z.object({ kind: z.literal("booted"), name: z.string() }),
  z.object({ kind: z.literal("done") }),
  z.object({ kind: z.literal("timeout") }),
]);
export type WaitEvent = z.infer<typeof WaitEvent>;

export const waitNodes = stream(
  "nodes.wait",
  z.object({ set: SetExpr, timeoutS: z.number().int().default(-1) }).strict(),
  WaitEvent,
);

/** `walt node create <name>`: a virtual node owned by the caller. */
export const createNode = call("nodes.create", z.object({ name: z.string() }).strict(), z.object({ messages: z.array(z.string()) }));

/** `walt node remove <name>`: stop a virtual node and forget it (force: the caller confirmed for another user's node). */
export const removeNode = call("nodes.remove", z.object({ name: z.string(), force: z.boolean().default(false) }).strict(), z.object({ messages: z.array(z.string()) }));

/** Reply of commands that reboot nodes: stdout lines, then stderr lines (failures; exit code 1 when any). */
export const RebootReply = z.object({ messages: z.array(z.string()), errors: z.array(z.string()) });

/** `walt node boot <set> <image|default>` (alias `deploy`). */
export const bootNodes = call(
  "nodes.boot",
  z.object({ set: SetExpr, image: z.string().min(1), force: z.boolean().default(false) }).strict(),
  RebootReply,
);

/** `walt node reboot [--hard] <set>`. */
export const rebootNodes = call(
  "nodes.reboot",
  z.object({ set: SetExpr, hard: z.boolean().default(false), force: z.boolean().default(false) }).strict(),
  RebootReply,
);

/** One event of a node's boot timeline (server clock, integer microseconds). */
export const TimelineEvent = z.object({
  atUs: z.number().int(),
  kind: z.enum(["boot-start", "dhcp", "boot-file", "kernel", "root-mounted", "step", "nbd", "booted", "error"]),
  detail: z.string(),
  bytes: z.number().int().optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const BootRecord = z.object({
  startUs: z.number().int(),
  cause: z.string(),
  image: z.string().nullable(),
  events: z.array(TimelineEvent),
  bootedUs: z.number().int().nullable(),
  /** Bytes of boot files served for this boot (TFTP, HTTP, emulated bootloader). */
  bytes: z.number().int(),
});
export type BootRecord = z.infer<typeof BootRecord>;

/** The last boots of each node of a set, oldest first (empty when the server runs without network boot). */
export const bootTimelines = call(
  "nodes.boot-timelines",
  z.object({ set: SetExpr }).strict(),
  z.object({ nodes: z.array(z.object({ name: z.string(), mac: z.string(), ip: z.string().nullable(), boots: z.array(BootRecord) })) }),
);

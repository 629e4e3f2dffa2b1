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

/** Logs: query (history and/or realtime), count, checkpoints. */
import { z } from "zod";
import { call, stream } from "./endpoint.ts";

const Regexp = z.string().max(4096);

export const LogQuery = z
  .object({
    /** null = no history; bounds exclusive, microseconds. */
    history: z.object({ fromUs: z.number().nullable(), toUs: z.number().nullable() }).nullable(),
    realtime: z.boolean(),
    /** Issuer set expression (default my-nodes), validated against `server,all-nodes`. */
    issuers: z.string().optional(),
    streams: Regexp.optional(),
    line: Regexp.optional(),
  })
  .strict();
export type LogQuery = z.infer<typeof LogQuery>;

export const LogEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("log"), tsUs: z.number(), issuer: z.string(), stream: z.string(), line: z.string() }),
  /** End of the history part (sent when realtime follows). */
  z.object({ kind: z.literal("history-end") }),
]);
export type LogEvent = z.infer<typeof LogEvent>;

export const queryLogs = stream("logs.query", LogQuery, LogEvent);

export const countLogs = call(
  "logs.count",
  z.object({ history: z.object({ fromUs: z.number().nullable(), toUs: z.number().nullable() }), issuers: z.string().optional(), streams: Regexp.optional() }).strict(),
  z.object({ count: z.number() }),
);

export const serverTime = call("logs.time", z.object({}).strict(), z.object({ timeUs: z.number() }));

export const Checkpoint = z.object({ name: z.string(), tsUs: z.number() });

export const addCheckpoint = call(
  "logs.checkpoint-add",
  z.object({ name: z.string(), tsUs: z.number().nullable() }).strict(),
  Checkpoint,
);
export const removeCheckpoint = call("logs.checkpoint-remove", z.object({ name: z.string() }).strict(), z.object({}));
export const listCheckpoints = call("logs.checkpoint-list", z.object({}).strict(), z.object({ checkpoints: z.array(Checkpoint) }));
/** Time of a checkpoint of the requester, null when it does not exist. */
export const checkpointTime = call("logs.checkpoint-time", z.object({ name: z.string() }).strict(), z.object({ tsUs: z.number().nullable() }));

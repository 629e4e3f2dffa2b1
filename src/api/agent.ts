/**
 * The node -> server contract of `walt agent init` (walt-init): each boot step is reported to
 * `POST /api/node/v1/boot-steps` so the server can show it in the node's boot timeline.
 *
 * Not a CLI endpoint (no token: a booting node has none, the server identifies it by MAC and source address),
 * hence its own prefix. The agent reports best effort: it batches the steps the server has not acknowledged
 * yet, so a report that failed is carried by the next one.
 */
import { z } from "zod";

/** Path prefix of the endpoints called by nodes. */
export const NODE_PREFIX = "/api/node/v1/";
/** Where the agent posts its boot steps. */
export const BOOT_STEPS_PATH = `${NODE_PREFIX}boot-steps`;

export const BootStepStatus = z.enum(["ok", "failed", "skipped"]);
export type BootStepStatus = z.infer<typeof BootStepStatus>;

/** A node's MAC as the agent sends it (lower-case), or null when unknown. */
const NodeMac = z
  .string()
  .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/)
  .nullable();

/** One step of walt-init as it ended. */
export const BootStep = z
  .object({
    /** Step name, e.g. `overlay`, `persist`, `swap`, `hand-over`. */
    step: z.string().min(1).max(64),
    status: BootStepStatus,
    /** What was done or why not, one line for people. */
    detail: z.string().max(2000),
    /** When the step ended, integer microseconds since the epoch (node clock, not synchronised yet). */
    time: z.number().int().nonnegative(),
  })
  .strict();
export type BootStep = z.infer<typeof BootStep>;

/** Body of `POST /api/node/v1/boot-steps`. */
export const BootStepsReport = z
  .object({
    /** MAC of the boot interface (kernel command line `walt.mac=`), lower-case; null when unknown. */
    mac: NodeMac,
    /** Steps in the order they ended (the ones not acknowledged by an earlier reply, then the new one). */
    steps: z.array(BootStep).min(1).max(64),
  })
  .strict();
export type BootStepsReport = z.infer<typeof BootStepsReport>;

/** Reply: the number of steps recorded. The agent only looks at the HTTP status. */
export const BootStepsReply = z.object({ recorded: z.number().int().nonnegative() });
export type BootStepsReply = z.infer<typeof BootStepsReply>;

/**
 * The agent's pages (docs/netboot.md, "Reading the agent ahead"). `GET …/agent-pages?mac=M&learn=1` answers
 * text/plain for the initramfs's shell and its `walt-prefetch`: `prefetch SIZE` then one `OFFSET LENGTH` line per
 * byte range of the agent's file (SIZE bytes) to read ahead; `learn SIZE` (the server has no ranges for its agent
 * yet and this node, which said learn=1, is the one to learn them); or `none`.
 * A learning node starts its agent with no read-around and posts what its agent touched (AgentPagesReport).
 */
export const AGENT_PAGES_PATH = `${NODE_PREFIX}agent-pages`;

/** At most this many ranges in a report (the agent touches ~1000 runs of pages at start). */
export const AGENT_PAGES_MAX_RANGES = 100_000;

/** Body of `POST …/agent-pages`: the byte ranges of the agent's file in the node's page cache, ascending. */
export const AgentPagesReport = z
  .object({
    mac: NodeMac,
    /** Size of the agent's file as the node sees it (must be the server's agent). */
    size: z.number().int().positive(),
    /** [offset, length] pairs in bytes. */
    ranges: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()])).max(AGENT_PAGES_MAX_RANGES),
  })
  .strict();
export type AgentPagesReport = z.infer<typeof AgentPagesReport>;

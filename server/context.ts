/**
 * What every server module receives: no module reaches for globals (model-codebases §5 habit 6),
 * so two servers can run in one test process.
 */
import type { Clock } from "../src/clock.ts";
import type { Logger } from "../src/log.ts";
import type { ServerConfig } from "./config/config.ts";
import type { Db } from "./db/db.ts";
import type { LogHub } from "./logs/hub.ts";
import type { NodeStatus } from "./nodes/status.ts";
import type { ImageStore } from "./images/store/store.ts";
import type { Netboot } from "./netboot/service.ts";

export interface ServerContext {
  readonly config: ServerConfig;
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  /** WALT logs: ingestion, batching, realtime fan-out. */
  readonly logs: LogHub;
  /** Boot state of nodes (booted / down), with waiters for `walt node wait`. */
  readonly status: NodeStatus;
  /** OCI image store (blobs, tags, unpacked root filesystems). */
  readonly images: ImageStore;
  /** MAC of the server's walt-net interface (the server device row). */
  readonly serverMac: string;
  /** Network boot (boot tree, services, virtual nodes); absent when the server runs without it. */
  readonly netboot?: Netboot | undefined;
}

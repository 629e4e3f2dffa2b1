/**
 * Where completion gets the names it cannot know by itself. The server answers through `complete.words`
 * and `devices.resolve-set`; any failure (server down, slow, client not configured) gives no names, so
 * completion never prints an error in the middle of a command line.
 */
import { completionWords } from "../../src/api/complete.ts";
import { resolveSet } from "../../src/api/devices.ts";
import type { ApiClient } from "../client.ts";
import { listTopics } from "../help/topics.ts";

export interface WordSource {
  nodes(): Promise<string[]>;
  devices(): Promise<string[]>;
  switches(): Promise<string[]>;
  /** Devices allowed as log issuers (the server and the nodes). */
  issuers(): Promise<string[]>;
  /** Images of the requester's working set (`name` or `name:tag`). */
  images(): Promise<string[]>;
  checkpoints(): Promise<string[]>;
  /** Setting names applicable to every device of `set`. */
  settings(set: string): Promise<string[]>;
  topics(): string[];
}

/** WALT's autocomplete helper gives up after 4 seconds. */
export const COMPLETION_TIMEOUT_MS = 4000;

const helpTopics = (): string[] => listTopics().map((t) => t.name);

/** Names from the server; `api` undefined (client not configured) gives none. */
export function serverWordSource(api: ApiClient | undefined, timeoutMs = COMPLETION_TIMEOUT_MS): WordSource {
  const signal = AbortSignal.timeout(timeoutMs);
  const safe = async (f: (a: ApiClient) => Promise<string[]>): Promise<string[]> => {
    if (!api) return [];
    try {
      return await f(api);
    } catch {
      return [];
    }
  };
  const words = (kind: "nodes" | "devices" | "images" | "checkpoints") => safe(async (a) => (await a.call(completionWords, { kind }, signal)).words);
  const set = (expr: string) => safe(async (a) => (await a.call(resolveSet, { set: expr, allowEmpty: true }, signal)).names);
  return {
    nodes: () => words("nodes"),
    devices: () => words("devices"),
    switches: () => set("all-switches"),
    issuers: () => set("server,all-nodes"),
    images: () => words("images"),
    checkpoints: () => words("checkpoints"),
    settings: (s) => safe(async (a) => (await a.call(completionWords, { kind: "settings", set: s }, signal)).words),
    topics: helpTopics,
  };
}

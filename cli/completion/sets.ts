/** Completion of set expressions (`n1,my-nodes`) and history ranges, as WALT's server autocomplete.py does. */

/** The keywords each kind of set accepts (WALT §1.2). */
export const NODE_SET_KEYWORDS = ["my-nodes", "all-nodes", "free-nodes"] as const;
export const DEVICE_SET_KEYWORDS = ["server", "all-devices", "all-switches", "explorable-switches", ...NODE_SET_KEYWORDS] as const;
export const ISSUER_SET_KEYWORDS = ["server", ...NODE_SET_KEYWORDS] as const;
export const RESCAN_SET_KEYWORDS = ["server", "explorable-switches"] as const;

/**
 * Complete the last item of a comma-separated set. A single match is proposed both as `x` and `x,`, so
 * the shell adds no space and the user may continue the set (WALT complete_set).
 */
export function completeSet(items: readonly string[], partial: string): string[] {
  const parts = partial.split(",");
  const last = parts[parts.length - 1] ?? "";
  const prefix = parts.slice(0, -1).map((p) => p + ",").join("");
  const possible = [...new Set(items)].filter((i) => i.startsWith(last)).map((i) => prefix + i);
  const [only] = possible;
  return possible.length === 1 && only !== undefined ? [only, only + ","] : possible;
}

/** `--history`: `full`, `none`, `[start]:[end]` with checkpoint names or relative dates (WALT complete_history_range). */
export function completeHistoryRange(checkpoints: readonly string[], partial: string): string[] {
  const colon = partial.indexOf(":");
  if (colon >= 0) {
    const start = partial.slice(0, colon);
    // a relative date is typed by the user
    if (partial.slice(colon + 1).startsWith("-")) return [];
    return ["-<relative-time>", "", ...checkpoints].map((end) => `${start}:${end}`);
  }
  if (partial.startsWith("-")) return [];
  return ["full", "none", "-<relative-time>:", ":", ...checkpoints.map((c) => `${c}:`)];
}

/** Setting names proposed by shell completion of `walt node|device config <set> ...`. */
import { compareCodePoints } from "../../src/text/sentence.ts";
import { effectiveConfig } from "./show.ts";
import type { SettingsDevice } from "./types.ts";

/** Names of the settings every device of the set has (defaults or stored), sorted; none for an empty set. */
export function settingNamesFor(devices: readonly SettingsDevice[]): string[] {
  let common: Set<string> | undefined;
  for (const d of devices) {
    const names = Object.keys(effectiveConfig(d));
    common = common === undefined ? new Set(names) : new Set(names.filter((n) => common?.has(n)));
  }
  return [...(common ?? [])].sort(compareCodePoints);
}

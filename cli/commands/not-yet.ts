/**
 * Commands whose server side is not built yet keep their real name, ordering, help text and arguments
 * (so `--help` and completion are complete) and fail with a clear message and exit code 1.
 */
import { WaltError } from "../../src/errors.ts";
import type { CommandDef } from "../framework/types.ts";

export function notYet(def: Omit<CommandDef, "run">, feature: string): CommandDef {
  return {
    ...def,
    async run() {
      throw new WaltError("UNAVAILABLE", `Sorry, ${feature} is not available on this WalT server version yet.`, {
        hint: "see `walt help show help-intro` for what this version provides",
      });
    },
  };
}

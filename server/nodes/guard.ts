/**
 * Server-side enforcement of WALT's ownership rule for writes (§6.8): acting on another user's node
 * requires an explicit confirmation (`force`), which the CLI sends only after the user said yes.
 */
import { conflict } from "../../src/errors.ts";
import { formatSentence } from "../../src/text/sentence.ts";
import type { DeviceWithNode } from "../devices/repo.ts";
import { splitOwnership } from "../devices/sets.ts";

export function requireOwnedOrFree(devs: readonly DeviceWithNode[], user: string, force: boolean): void {
  if (force) return;
  const { notOwned } = splitOwnership(devs, user);
  if (notOwned.length) {
    throw conflict(
      formatSentence("Warning: %s seems(seem) to be used by another(other) user(users).", notOwned, "Node", "Nodes"),
      "confirm with the CLI prompt (or force=true in the API) to act on them anyway",
    );
  }
}

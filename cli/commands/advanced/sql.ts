/**
 * `walt advanced sql`: WALT opens `psql` on the server database. Deliberately not offered here: a SQL
 * shell on the server bypasses every ownership rule (anyone could rewrite nodes, images or other users'
 * checkpoints). The command keeps WALT's name and help and refuses clearly.
 */
import { WaltError } from "../../../src/errors.ts";
import type { CommandDef } from "../../framework/types.ts";

export const SQL_REFUSED =
  "Sorry, raw SQL access to the WalT server database is not offered by this WalT server version: " +
  "a SQL prompt would bypass the ownership rules of nodes, images and checkpoints.";

export const advancedSql: CommandDef = {
  name: "sql",
  ordering: 100,
  description: "start a remote SQL prompt on the WalT server database",
  async run() {
    throw new WaltError("UNAVAILABLE", SQL_REFUSED, {
      hint: "read the platform with `walt node show`, `walt device show`, `walt log show`, or the web API (walt help show web-api)",
    });
  },
};

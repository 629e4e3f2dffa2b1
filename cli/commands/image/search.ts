/** `walt image search [keyword]` (WALT §1.5, §4.6): a table of the clonable images found. */
import { searchImages, type SearchMatch } from "../../../src/api/images.ts";
import { autoglob } from "../../../src/text/autoglob.ts";
import { columnate } from "../../../src/text/table.ts";
import type { CommandDef } from "../../framework/types.ts";
import { registryCredentials } from "./credentials.ts";
import { busyUntilFirst } from "./transfer-view.ts";

export const SEARCH_HEADER = ["User", "Image name", "Location", "Compatibility", "Clonable link"];
export const MSG_SEARCH_NO_MATCH = "Sorry, no image could match your request.";

export const renderSearch = (rows: readonly SearchMatch[]): string =>
  columnate(
    SEARCH_HEADER,
    rows.map((r) => [r.user, r.name, r.location, autoglob(r.models), r.link]),
  );

export const imageSearch: CommandDef = {
  name: "search",
  ordering: 2,
  description: "search for remote WalT node OS images",
  args: [{ name: "keyword", optional: true, defaultText: "None" }],
  async run(ctx, p) {
    const api = await ctx.api();
    const keyword = p.args["keyword"];
    const input = { ...(typeof keyword === "string" ? { keyword } : {}), credentials: registryCredentials(ctx.io) };
    const rows: SearchMatch[] = [];
    const tty = ctx.io.stdout.isTTY;
    let counter = "";
    for await (const e of busyUntilFirst((fn) => ctx.busy(fn, "Searching"), api.stream(searchImages, input, ctx.io.interrupted))) {
      if (e.kind === "warning") {
        ctx.io.stderr.write(e.text + "\n");
        continue;
      }
      rows.push(e);
      if (tty) {
        counter = `${rows.length} matches`;
        ctx.io.stdout.write(`${counter}\r`);
      }
    }
    if (counter !== "") ctx.io.stdout.write(`${" ".repeat(counter.length)}\r`);
    if (rows.length > 0) ctx.io.stdout.write(renderSearch(rows) + "\n");
    else ctx.io.stderr.write(MSG_SEARCH_NO_MATCH + "\n");
  },
};

/**
 * `walt advanced dump-bash-autocomplete | dump-zsh-autocomplete` (WALT §1.11) and the hidden
 * `walt advanced autocomplete-helper` the printed scripts call at each <tab>.
 */
import { BASH_SCRIPT, HELPER_COMMAND, ZSH_SCRIPT } from "../../completion/scripts.ts";
import { complete } from "../../completion/complete.ts";
import { splitShellLine, trimForBash } from "../../completion/shell-words.ts";
import { serverWordSource } from "../../completion/source.ts";
import { configPath, loadConfig } from "../../config.ts";
import type { CliContext } from "../../context.ts";
import type { CategoryDef, CommandDef } from "../../framework/types.ts";
import type { ApiClient } from "../../client.ts";

export const dumpBashAutocomplete: CommandDef = {
  name: "dump-bash-autocomplete",
  ordering: 100,
  description: "dump bash auto-completion code",
  async run(ctx) {
    ctx.io.stdout.write(BASH_SCRIPT);
  },
};

export const dumpZshAutocomplete: CommandDef = {
  name: "dump-zsh-autocomplete",
  ordering: 100,
  description: "dump zsh auto-completion code",
  async run(ctx) {
    ctx.io.stdout.write(ZSH_SCRIPT);
  },
};

/** The API client only when the client is configured: completion must never start the first-contact dialog. */
async function configuredApi(ctx: CliContext): Promise<ApiClient | undefined> {
  try {
    const cfg = loadConfig(configPath(ctx.io.env), ctx.io.env);
    if (!cfg?.server || !cfg.username || !cfg.token) return undefined;
    return await ctx.api();
  } catch {
    return undefined;
  }
}

/**
 * `walt advanced autocomplete-helper --cur CUR --line LINE` (bash: the line up to the cursor and bash's
 * current word) or `walt advanced autocomplete-helper -- WORDS... PARTIAL` (zsh). Prints one candidate
 * per line; never fails.
 */
export function autocompleteHelper(categories: () => Promise<readonly CategoryDef[]>): CommandDef {
  return {
    name: HELPER_COMMAND,
    ordering: 100,
    description: "print shell completion candidates (used by the completion scripts)",
    hidden: true,
    args: [{ name: "words", variadic: true }],
    switches: [
      { names: ["--line"], metavar: "LINE:str", help: "command line up to the cursor (bash)" },
      { names: ["--cur"], metavar: "CUR:str", help: "bash's current word" },
    ],
    async run(ctx, p) {
      const line = p.opts["line"];
      const cur = p.opts["cur"];
      let words: string[];
      let partial: string;
      if (typeof line === "string") {
        ({ words, partial } = splitShellLine(line));
        words = words.slice(1); // the `walt` command itself
      } else {
        const all = Array.isArray(p.args["words"]) ? p.args["words"] : [];
        words = all.slice(0, -1);
        partial = all[all.length - 1] ?? "";
      }
      const source = serverWordSource(await configuredApi(ctx));
      let candidates = await complete(await categories(), words, partial, source);
      if (typeof cur === "string") candidates = trimForBash(candidates, partial, cur);
      if (candidates.length) ctx.io.stdout.write(candidates.join("\n") + "\n");
    },
  };
}

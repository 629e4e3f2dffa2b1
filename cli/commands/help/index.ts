/** `walt help …` (WALT §1.3): topics embedded in the binary, shown in a pager on a terminal. */
import type { CategoryDef, CommandDef } from "../../framework/types.ts";
import { renderHelpList } from "../../help/list.ts";
import { DEFAULT_TOPIC } from "../../help/topics.ts";
import { showHelp } from "../../ui/pager.ts";

export const helpShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "displays help about a given topic",
  args: [{ name: "topic", optional: true, defaultText: DEFAULT_TOPIC }],
  // WALT's own usage line (no `[SWITCHES]`)
  usage: `walt help show [topic=${DEFAULT_TOPIC}]`,
  async run(ctx, p) {
    const topic = typeof p.args["topic"] === "string" ? p.args["topic"] : DEFAULT_TOPIC;
    return showHelp(ctx.io, topic);
  },
};

export const helpList: CommandDef = {
  name: "list",
  ordering: 1,
  description: "displays the list of help topics",
  async run(ctx) {
    ctx.io.stdout.write(renderHelpList());
  },
};

export const helpCategory: CategoryDef = {
  name: "help",
  ordering: 7,
  description: "help sub-commands",
  commands: [helpShow, helpList],
};

/**
 * Shell completion: given the words typed after `walt` and the word being typed, the candidates for it —
 * categories, sub-commands, switches, then argument values by kind (WALT: the generated script's case
 * tables plus the server's autocomplete.py). Pure apart from the names asked to `source`.
 */
import type { CategoryDef, CommandDef, SwitchSpec } from "../framework/types.ts";
import { argKind, switchKind, type CompletionKind } from "./kinds.ts";
import { DEVICE_SET_KEYWORDS, ISSUER_SET_KEYWORDS, NODE_SET_KEYWORDS, RESCAN_SET_KEYWORDS, completeHistoryRange, completeSet } from "./sets.ts";
import type { WordSource } from "./source.ts";

const HELP_SWITCH = "--help";

/** Where the word being typed stands in the command line. */
type Slot = { kind: CompletionKind | undefined; positional: string[] } | "options";

function locate(cat: CategoryDef, cmd: CommandDef, words: readonly string[], partial: string): Slot {
  const positional: string[] = [];
  let afterDashDash = false;
  let valueOf: SwitchSpec | undefined;
  for (const w of words) {
    if (valueOf) valueOf = undefined;
    else if (afterDashDash) positional.push(w);
    else if (w === "--") afterDashDash = true;
    else if (w.startsWith("-") && w !== "-") {
      const spec = (cmd.switches ?? []).find((s) => s.names.includes(w));
      if (spec?.metavar) valueOf = spec;
    } else positional.push(w);
  }
  if (valueOf) return { kind: switchKind(valueOf.metavar ?? ""), positional };
  if (!afterDashDash && partial.startsWith("-")) return "options";
  const args = cmd.args ?? [];
  const spec = args[positional.length] ?? args.find((a) => a.variadic === true);
  return { kind: spec ? argKind(cat.name, cmd.name, spec.name) : undefined, positional };
}

async function images(source: WordSource): Promise<string[]> {
  const names = await source.images();
  // WALT also proposes the implicit `:latest` tag
  return [...names, ...names.filter((n) => !n.includes(":")).map((n) => `${n}:latest`)];
}

async function byKind(kind: CompletionKind, partial: string, positional: readonly string[], source: WordSource): Promise<string[]> {
  switch (kind) {
    case "NODE":
      return source.nodes();
    case "SET_OF_NODES":
      return completeSet([...(await source.nodes()), ...NODE_SET_KEYWORDS], partial);
    case "IMAGE":
      return images(source);
    case "IMAGE_OR_DEFAULT":
      return ["default", ...(await images(source))];
    case "CONFIG_PARAM": {
      // setting names only, not values; the set is the last argument that is not a setting
      const set = [...positional].reverse().find((w) => !w.includes("="));
      if (partial.includes("=") || set === undefined) return [];
      return (await source.settings(set)).map((n) => `${n}=`);
    }
    case "DEVICE":
      return source.devices();
    case "SWITCH":
      return source.switches();
    case "SET_OF_DEVICES":
      return completeSet([...(await source.devices()), ...DEVICE_SET_KEYWORDS], partial);
    case "RESCAN_SET_OF_DEVICES":
      return completeSet([...(await source.switches()), ...RESCAN_SET_KEYWORDS], partial);
    case "SET_OF_ISSUERS":
      return completeSet([...(await source.issuers()), ...ISSUER_SET_KEYWORDS], partial);
    case "LOG_CHECKPOINT":
      return source.checkpoints();
    case "HISTORY_RANGE":
      return completeHistoryRange(await source.checkpoints(), partial);
    case "HELP_TOPIC":
      return source.topics();
    case "LOG_WAIT_MODE":
      return ["ANY", "ALL"];
  }
}

/** WALT wf_filter_possible: keep what extends `partial`, and drop proposals that would complete nothing. */
function filter(possible: readonly string[], partial: string, kind: CompletionKind | undefined): string[] {
  const out = [...new Set(possible)].filter((p) => p.startsWith(partial));
  const [first, second] = out;
  // a single separator-terminated match equal to what is typed: nothing left to add
  if (out.length === 1 && first === partial && /[/:=]$/.test(partial)) return [];
  if (out.length === 2 && first !== undefined && (kind === "IMAGE" || kind === "IMAGE_OR_DEFAULT") && second === `${first}:latest`) return [first];
  return out;
}

const sorted = (xs: readonly { name: string; ordering: number }[]): string[] =>
  [...xs].sort((a, b) => a.ordering - b.ordering || a.name.localeCompare(b.name)).map((x) => x.name);

/**
 * Candidates for `partial`, the word being typed after `walt <words...>`.
 * @param categories the CLI's command tree
 */
export async function complete(categories: readonly CategoryDef[], words: readonly string[], partial: string, source: WordSource): Promise<string[]> {
  const [catName, cmdName, ...rest] = words;
  if (catName === undefined) return filter(partial.startsWith("-") ? [HELP_SWITCH] : sorted(categories), partial, undefined);
  const cat = categories.find((c) => c.name === catName);
  if (!cat) return [];
  if (cmdName === undefined) return filter(partial.startsWith("-") ? [HELP_SWITCH] : sorted(cat.commands.filter((c) => c.hidden !== true)), partial, undefined);
  const cmd = cat.commands.find((c) => c.name === cmdName);
  if (!cmd) return [];
  const slot = locate(cat, cmd, rest, partial);
  if (slot === "options") return filter([HELP_SWITCH, ...(cmd.switches ?? []).flatMap((s) => s.names)].sort(), partial, undefined);
  if (slot.kind === undefined) return [];
  return filter(await byKind(slot.kind, partial, slot.positional, source), partial, slot.kind);
}

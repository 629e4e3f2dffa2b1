/**
 * Help texts in WALT's layout (plumbum's, frozen in WALT's test/syntax/*.out): the root help, a
 * category's sub-command list sorted by ordering then name, and a command's usage and switches.
 */
import { VERSION } from "../../src/version.ts";
import type { CategoryDef, CommandDef, SwitchSpec } from "./types.ts";

const byOrdering = <T extends { ordering: number; name: string }>(a: T, b: T): number => a.ordering - b.ordering || a.name.localeCompare(b.name);

function twoColumns(rows: [string, string][], indent = "    ", gap = 2): string {
  const w = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w + gap)}${b}`.trimEnd()).join("\n");
}

export function rootHelp(categories: readonly CategoryDef[]): string {
  const cats = [...categories].sort(byOrdering).map((c): [string, string] => [c.name, c.description]);
  return [
    "",
    "WalT platform control tool.",
    `Version: ${VERSION}`,
    "",
    "Usage:",
    "    walt CATEGORY SUBCOMMAND [args...]",
    "",
    "Help about a given category or subcommand:",
    "    walt CATEGORY --help",
    "    walt CATEGORY SUBCOMMAND --help",
    "",
    "Help about WalT in general:",
    "    walt help show",
    "",
    "Categories:",
    twoColumns(cats),
    "",
  ].join("\n");
}

export function categoryHelp(cat: CategoryDef): string {
  const cmds = cat.commands.filter((c) => !c.hidden).sort(byOrdering).map((c): [string, string] => [c.name, c.description]);
  return [
    "",
    "WalT platform control tool",
    `-> ${cat.description}`,
    "",
    "Usage:",
    `    walt ${cat.name} SUBCOMMAND [args...]`,
    "",
    "Help about a given subcommand:",
    `    walt ${cat.name} SUBCOMMAND --help`,
    "",
    "Help about WalT in general:",
    "    walt help show",
    "",
    "Sub-commands:",
    twoColumns(cmds),
    "",
  ].join("\n");
}

function usageArgs(cmd: CommandDef): string {
  return (cmd.args ?? [])
    .map((a) => (a.variadic ? `${a.name}...` : a.optional ? `[${a.name}${a.defaultText === undefined ? "" : `=${a.defaultText}`}]` : a.name))
    .join(" ");
}

const switchLabel = (s: SwitchSpec): string => s.names.join(", ") + (s.metavar ? ` ${s.metavar}` : "");

export function commandHelp(category: string, cmd: CommandDef): string {
  const switches = [...(cmd.switches ?? [])].sort((a, b) => (a.names[0] ?? "").localeCompare(b.names[0] ?? ""));
  const rows: [string, string][] = [["-h, --help", "Prints this help message and quits"], ...switches.map((s): [string, string] => [switchLabel(s), s.help])];
  const w = Math.max(...rows.map(([a]) => a.length)) + 4;
  const fmt = (r: [string, string]): string => `    ${r[0].padEnd(w)}${r[1]}`;
  const usage = cmd.usage === undefined ? [`    walt ${category} ${cmd.name} [SWITCHES] ${usageArgs(cmd)}`.trimEnd()] : cmd.usage.split("\n").map((l) => (l === "" ? "" : `    ${l}`));
  const out = [cmd.description, "", "Usage:", ...usage, "", "Meta-switches:", fmt(rows[0] ?? ["", ""])];
  if (switches.length) out.push("", "Switches:", ...rows.slice(1).map(fmt));
  out.push("");
  return out.join("\n") + "\n";
}

/**
 * How a CLI command is declared: a plain data definition (name, ordering, texts, arguments, switches)
 * plus `run`. Help texts are generated from it, so `--help` cannot drift from what the parser accepts.
 */
import type { CliContext } from "../context.ts";

/** A positional argument, e.g. `node_set`, `[logline_regexp=None]`, `configuration...`. */
export interface ArgSpec {
  name: string;
  optional?: boolean;
  /** Shown in usage as `[name=<default>]` (WALT/plumbum style). */
  defaultText?: string;
  /** Takes every remaining argument. */
  variadic?: boolean;
}

/** A switch (flag or option with a value). */
export interface SwitchSpec {
  /** Long names first, e.g. ["--issuers", "--emitters", "--nodes"]; the first is the key in `opts`. */
  names: string[];
  /** For switches taking a value: `LOG_FORMAT:str`, `SECONDS:int`, `LOG_WAIT_MODE`. */
  metavar?: string;
  /** `int` switches are parsed as integers. */
  type?: "str" | "int";
  help: string;
  /** Names of switches this one cannot be combined with (checked by the parser). */
  excludes?: string[];
}

export type OptValue = string | number | boolean | undefined;

export interface ParsedArgs {
  /** Positional arguments by name (variadic ones as arrays). */
  args: Record<string, string | string[] | undefined>;
  /** Switch values by their first name without dashes (`names-only`, `history`…). */
  opts: Record<string, OptValue>;
}

export interface CommandDef {
  name: string;
  ordering: number;
  /** One line, used in the category list and as the first line of `--help`. */
  description: string;
  args?: ArgSpec[];
  switches?: SwitchSpec[];
  /**
   * Replaces the generated usage line(s) of `--help` (WALT prints several forms for `cp` and `build`).
   * One form per line, without the leading indentation.
   */
  usage?: string;
  /** Let arguments after the positional ones through unparsed (`walt node run n cmd --x`). */
  passThrough?: boolean;
  /** Hidden from the category list (aliases are listed; nothing is hidden by default). */
  hidden?: boolean;
  /**
   * Return false (or throw) for exit code 1. Any other value exits 0 (WALT §1.1).
   */
  run(ctx: CliContext, p: ParsedArgs): Promise<boolean | void>;
}

export interface CategoryDef {
  name: string;
  ordering: number;
  description: string;
  commands: CommandDef[];
}

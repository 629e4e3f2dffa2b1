/** argv → ParsedArgs for one command. Errors are UsageErrors naming the bad token and a hint. */
import { usageError } from "../../src/errors.ts";
import type { CommandDef, OptValue, ParsedArgs, SwitchSpec } from "./types.ts";

const keyOf = (s: SwitchSpec): string => (s.names[0] ?? "").replace(/^-+/, "");

/** True when argv asks for help (`-h` / `--help` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === "--") return false;
    if (a === "-h" || a === "--help") return true;
  }
  return false;
}

export function parseCommandArgs(cmd: CommandDef, argv: readonly string[], path: string): ParsedArgs {
  const hint = `${path} --help`;
  const switches = cmd.switches ?? [];
  const opts: Record<string, OptValue> = {};
  const positional: string[] = [];
  const given: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("--") || a === "-") {
      positional.push(a);
      if (cmd.passThrough && positional.length >= (cmd.args?.filter((x) => !x.variadic).length ?? 0)) {
        positional.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    const spec = switches.find((s) => s.names.includes(name));
    if (!spec) throw usageError(`Unknown switch ${name}`, hint);
    const key = keyOf(spec);
    given.push(key);
    if (!spec.metavar) {
      if (eq > 0) throw usageError(`Switch ${name} takes no value`, hint);
      opts[key] = true;
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw usageError(`Switch ${name} requires an argument`, hint);
    if (spec.type === "int") {
      if (!/^-?\d+$/.test(value)) throw usageError(`Argument of ${name} expected to be int, not '${value}'`, hint);
      opts[key] = Number(value);
    } else opts[key] = value;
  }
  for (const s of switches) {
    const k = keyOf(s);
    for (const ex of s.excludes ?? []) {
      if (given.includes(k) && given.includes(ex.replace(/^-+/, ""))) {
        throw usageError(`Given --${k}, the following are invalid ${ex}`, hint);
      }
    }
  }
  return { args: bindPositional(cmd, positional, hint), opts };
}

function bindPositional(cmd: CommandDef, positional: string[], hint: string): ParsedArgs["args"] {
  const specs = cmd.args ?? [];
  const out: ParsedArgs["args"] = {};
  let j = 0;
  for (const s of specs) {
    if (s.variadic) {
      out[s.name] = positional.slice(j);
      j = positional.length;
      continue;
    }
    const v = positional[j];
    if (v === undefined) {
      if (!s.optional) throw usageError(`Expected at least ${specs.filter((x) => !x.optional && !x.variadic).length} positional argument(s), got ${positional.length}`, hint);
      continue;
    }
    out[s.name] = v;
    j++;
  }
  if (j < positional.length) throw usageError(`Expected at most ${specs.length} positional argument(s), got ${positional.length}`, hint);
  return out;
}

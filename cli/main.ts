/**
 * The CLI role: argv → category → command → exit code. The only catcher of errors on the CLI side:
 * a WaltError prints its message (and hint) on stderr; anything else prints one line saying it is a bug
 * (the stack only with WALT_DEBUG=1). Ctrl-C prints `Aborted.` and exits 1 (WALT §1.1).
 */
import { CancelledError, WaltError } from "../src/errors.ts";
import { CliContext, type CliDeps } from "./context.ts";
import { categoryHelp, commandHelp, rootHelp } from "./framework/help.ts";
import { parseCommandArgs, wantsHelp } from "./framework/parse.ts";
import type { CategoryDef } from "./framework/types.ts";
import { CATEGORIES } from "./commands/index.ts";
import type { Io } from "./ui/io.ts";

/** Exit codes: 0 success, 1 failure (WALT), 2 bad command-line syntax (plumbum's convention). */
export async function runCli(argv: readonly string[], io: Io, deps: CliDeps = {}, categories: readonly CategoryDef[] = CATEGORIES): Promise<number> {
  const [catName, subName, ...rest] = argv;
  if (catName === undefined || catName === "-h" || catName === "--help") {
    io.stdout.write(rootHelp(categories));
    return 0;
  }
  const cat = categories.find((c) => c.name === catName);
  if (!cat) return usage(io, `Unknown category '${catName}'.`, "walt --help");
  if (subName === undefined || subName === "-h" || subName === "--help") {
    io.stdout.write(categoryHelp(cat));
    return 0;
  }
  const cmd = cat.commands.find((c) => c.name === subName);
  if (!cmd) return usage(io, `Unknown sub-command '${subName}' of category '${catName}'.`, `walt ${catName} --help`);
  if (wantsHelp(rest)) {
    io.stdout.write(commandHelp(cat.name, cmd));
    return 0;
  }
  const ctx = new CliContext(io, deps);
  try {
    const parsed = parseCommandArgs(cmd, rest, `walt ${catName} ${subName}`);
    const ok = await raceInterrupt(io, cmd.run(ctx, parsed));
    return ok === false ? 1 : 0;
  } catch (e) {
    return report(io, e, catName, subName);
  }
}

function raceInterrupt<T>(io: Io, p: Promise<T>): Promise<T> {
  if (io.interrupted.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    io.interrupted.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => io.interrupted.removeEventListener("abort", onAbort));
  });
}

function usage(io: Io, message: string, hint: string): number {
  io.stderr.write(`${message}\nHint: ${hint}\n`);
  return 2;
}

function report(io: Io, e: unknown, cat: string, sub: string): number {
  if (e instanceof CancelledError) {
    io.stdout.write("\nAborted.\n");
    return 1;
  }
  if (e instanceof WaltError) {
    io.stderr.write(e.message + "\n");
    if (e.hint) io.stderr.write(`Hint: ${e.hint}\n`);
    return e.code === "USAGE" && e.hint?.endsWith("--help") ? 2 : 1;
  }
  io.stderr.write(`Internal error in 'walt ${cat} ${sub}' (this is a bug): ${e instanceof Error ? e.message : String(e)}\n`);
  if (io.env["WALT_DEBUG"]) io.stderr.write(`${e instanceof Error ? (e.stack ?? "") : ""}\n`);
  else io.stderr.write("Re-run with WALT_DEBUG=1 to see the details.\n");
  return 1;
}

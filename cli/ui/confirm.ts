/**
 * Questions to the user. On a TTY we use @clack/prompts; otherwise WALT's line protocol
 * (`Are you sure? (y/n): `, only `y` or `n`, anything else re-asks), which scripts and tests can answer.
 */
import { CancelledError } from "../../src/errors.ts";
import type { Io } from "./io.ts";

/** Ask a free-form question; undefined when there is no input left. */
export async function prompt(io: Io, question: string): Promise<string | undefined> {
  io.stdout.write(question);
  return io.stdin.readLine();
}

/** WALT's confirmation; returns true for y, false for n. End of input counts as n. */
export async function confirm(io: Io, opts: { useClack?: boolean } = {}): Promise<boolean> {
  if (opts.useClack ?? (io.stdin.isTTY && io.stdout.isTTY && io.env["WALT_PLAIN_PROMPTS"] === undefined)) {
    // Loaded on demand: @clack/prompts costs ~5 ms of start-up that most commands never need.
    const clack = await import("@clack/prompts");
    const r = await clack.confirm({ message: "Are you sure?" });
    if (clack.isCancel(r)) throw new CancelledError();
    io.stdout.write(r ? "OK.\n\n" : "Aborted.\n");
    return r;
  }
  for (;;) {
    io.stdout.write("Are you sure? (y/n): ");
    const line = await io.stdin.readLine();
    if (line === undefined) {
      io.stdout.write("\n");
      return false;
    }
    const a = line.trim();
    if (a === "y") {
      io.stdout.write("OK.\n\n");
      return true;
    }
    if (a === "n") return false;
    io.stdout.write("Invalid response.\n");
  }
}

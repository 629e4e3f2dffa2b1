/**
 * WALT's help tests compare our `--help` outputs with WALT's frozen ones (test/syntax/*.out of
 * walt-python-packages) the way WALT's own test does: ignoring whitespace and the Version line.
 */
import { describe, expect, test } from "bun:test";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";

export const normalizeHelp = (s: string): string =>
  s
    .split("\n")
    .filter((l) => !l.startsWith("Version:"))
    .join("")
    .replace(/\s+/g, "");

/** The CLI's `--help` output for argv; asserts it exits 0 with nothing on stderr. */
export async function helpOutput(argv: string[]): Promise<string> {
  const io = memoryIo();
  expect(await runCli(argv, io)).toBe(0);
  expect(io.err()).toBe("");
  return io.out();
}

/**
 * One test per frozen text of `category` ("" = the category's own help), in a describe block. `extensions`
 * names, per sub-command, the texts we add to WALT's help on purpose (a new switch, an optional argument):
 * each must be in our output, and the rest must equal WALT's.
 */
export function describeFrozenHelp(category: string, frozen: Record<string, string>, more?: () => void, extensions: Record<string, string[]> = {}): void {
  describe(`walt ${category} help`, () => {
    test("the category lists every WALT sub-command in WALT's order", async () => {
      expect(normalizeHelp(await helpOutput([category, "--help"]))).toBe(normalizeHelp(frozen[""] ?? ""));
    });
    for (const [sub, text] of Object.entries(frozen).filter(([k]) => k !== "")) {
      test(`${category} ${sub} --help equals WALT's${extensions[sub] ? " plus our extensions" : ""}`, async () => {
        let ours = normalizeHelp(await helpOutput([category, sub, "--help"]));
        for (const ext of extensions[sub] ?? []) {
          expect(ours).toContain(normalizeHelp(ext));
          ours = ours.replace(normalizeHelp(ext), "");
        }
        expect(ours).toBe(normalizeHelp(text));
      });
    }
    more?.();
  });
}

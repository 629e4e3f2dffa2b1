/**
 * Golden `--help` outputs: every help screen of the CLI (root, each category, each sub-command) equals its
 * file in test/fixtures/help byte for byte (the version shown as `@VERSION@`).
 *
 * The goldens were checked against WALT's frozen outputs (walt-python-packages test/syntax/*.out, all 56
 * of them: root, categories, sub-commands) with WALT's own comparison — ignoring all whitespace and the
 * `Version:` line — by `bun test/fixtures/help/regenerate.ts --check-walt <concatenated .out files>`.
 * This test does not read WALT's files; after a deliberate help change, regenerate the goldens with
 * `bun test/fixtures/help/regenerate.ts` and re-run that check.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { helpScreens, helpText } from "../fixtures/help/regenerate.ts";

const DIR = join(import.meta.dir, "../fixtures/help");
const screens = helpScreens();

describe("golden help screens", () => {
  test("there is one golden file per help screen, and no stale one", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".out")).sort();
    expect(files).toEqual([...screens.keys()].sort());
  });

  for (const [file, argv] of screens) {
    test(`walt ${argv.join(" ")} prints ${file} exactly`, async () => {
      expect(await helpText(argv)).toBe(readFileSync(join(DIR, file), "utf8"));
    });
  }
});

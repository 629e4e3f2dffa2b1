import { describe, expect, test } from "bun:test";
import { memoryIo } from "./io.ts";
import { ENTER_ALT_SCREEN, HOME, LEAVE_ALT_SCREEN, stripAnsi } from "./pager-ansi.ts";
import { runPager, showHelp } from "./pager.ts";
import { getTopic } from "../help/topics.ts";

const TOPICS: Record<string, string> = {
  intro: "# Intro\n\nGo to [`walt help show second`](second.md) or [`walt help show third`](third.md).\n",
  second: "# Second topic\n\nSecond body.\n",
  third: "# Third topic\n\n" + Array.from({ length: 60 }, (_, i) => `Line ${i}.`).join("\n\n") + "\n",
};
const lookup = (n: string): string | undefined => TOPICS[n];

/** The screens drawn, as plain text rows. */
function frames(out: string): string[][] {
  return out
    .split(HOME)
    .slice(1)
    .map((f) => stripAnsi(f.replace(LEAVE_ALT_SCREEN, "")).split("\r\n").map((r) => r.trimEnd()));
}

describe("walt help show", () => {
  test("an unknown topic prints WALT's message on stderr and fails", async () => {
    const io = memoryIo({ tty: true });
    expect(await showHelp(io, "nope")).toBe(false);
    expect(io.err()).toBe('Sorry, no such help topic. (tip: use "walt help list")\n');
    expect(io.out()).toBe("");
  });

  test("without a terminal the raw markdown is printed", async () => {
    const io = memoryIo();
    expect(await showHelp(io, "tutorial")).toBe(true);
    expect(io.out()).toBe(getTopic("tutorial") ?? "missing");
    expect(io.err()).toBe("");
  });

  test("on a terminal the pager uses the alternate screen and q quits", async () => {
    const io = memoryIo({ tty: true, input: ["q"] });
    expect(await showHelp(io, "intro", lookup)).toBe(true);
    const out = io.out();
    expect(out.startsWith(ENTER_ALT_SCREEN + HOME)).toBe(true);
    expect(out.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    const [first] = frames(out);
    expect(first?.length).toBe(30);
    expect(first?.[0]).toBe(" Intro");
    expect(first?.[28]).toBe("━".repeat(100));
    expect(first?.[29]).toBe(" <tab>/<shift-tab>: select a link, <enter>: open it │ <q>: quit");
  });

  test("the real topics open in the pager", async () => {
    const io = memoryIo({ tty: true, input: ["q"] });
    expect(await showHelp(io, "help-intro")).toBe(true);
    expect(frames(io.out())[0]?.[0]).toBe(" Welcome to the WalT documentation");
  });

  test("tab selects a link, enter opens it and backspace comes back", async () => {
    const io = memoryIo({ tty: true, input: ["\x1b[B", "\t", "\t", "\r", "\x7f", "q"] });
    await runPager(io, "intro", lookup);
    const f = frames(io.out());
    // initial, down, tab, tab, enter, backspace
    expect(f.length).toBe(6);
    expect(f[4]?.[0]).toBe(" Third topic");
    expect(f[4]?.[29]).toContain("<backspace>: previous topic");
    expect(f[5]?.[0]).toBe(" Intro");
    // the second link stays selected after coming back
    expect(io.out().split(HOME)[6]).toContain("\x1b[1;34;7mwalt help show third");
  });

  test("a long topic scrolls by line and by page", async () => {
    const io = memoryIo({ tty: true, input: ["\x1b[B\x1b[B", "\x1b[6~", "\x1b[5~", "q"] });
    await runPager(io, "third", lookup);
    const f = frames(io.out());
    expect(f[0]?.[0]).toBe(" Third topic");
    expect(f[1]?.[0]).toBe(" Line 0.");
    expect(f[2]?.[0]).toBe(" Line 14.");
    expect(f[3]?.[0]).toBe(" Line 0.");
    expect(f[0]?.[29]).toContain("<up>/<down>, <page-up>/<page-down>: scroll");
  });

  test("ctrl-c ends the pager and restores the screen", async () => {
    const io = memoryIo({ tty: true });
    const done = runPager(io, "intro", lookup);
    io.interrupt();
    await done;
    expect(io.out().endsWith(LEAVE_ALT_SCREEN)).toBe(true);
  });
});

/** `walt help show [topic]` and `walt help list` (WALT §1.3): topics embedded in the binary, no server needed. */
import { describe, expect, test } from "bun:test";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { renderHelpList } from "../../cli/help/list.ts";
import { getTopic } from "../../cli/help/topics.ts";
import { LEAVE_ALT_SCREEN } from "../../cli/ui/pager-ansi.ts";

async function walt(argv: string[], opts: { tty?: boolean; input?: string[] } = {}) {
  const io = memoryIo(opts);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("walt help", () => {
  test("help list prints every topic with its title", async () => {
    const r = await walt(["help", "list"]);
    expect(r).toEqual({ code: 0, out: renderHelpList(), err: "" });
    expect(r.out).toStartWith("The following help topics are available:\n");
  });

  test("help show without a terminal prints the topic's markdown", async () => {
    expect(await walt(["help", "show", "log-history"])).toEqual({ code: 0, out: getTopic("log-history") ?? "", err: "" });
  });

  test("help show without a topic shows help-intro", async () => {
    expect(await walt(["help", "show"])).toEqual({ code: 0, out: getTopic("help-intro") ?? "", err: "" });
  });

  test("an unknown topic gives WALT's message and exit code 1", async () => {
    expect(await walt(["help", "show", "nope"])).toEqual({ code: 1, out: "", err: 'Sorry, no such help topic. (tip: use "walt help list")\n' });
  });

  test("on a terminal the topic opens in the pager, which q closes", async () => {
    const r = await walt(["help", "show", "admin"], { tty: true, input: ["q"] });
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("Administrator's summary");
    expect(r.out).toEndWith(LEAVE_ALT_SCREEN);
  });

  test("help show takes at most one topic", async () => {
    const r = await walt(["help", "show", "admin", "tutorial"]);
    expect(r.code).toBe(2);
    expect(r.err).toEndWith("Hint: walt help show --help\n");
  });
});

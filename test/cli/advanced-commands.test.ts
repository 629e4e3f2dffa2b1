/** `walt advanced` (WALT §1.4): what runs here, what is refused by design, what comes later. */
import { describe, expect, test } from "bun:test";
import { SQL_REFUSED } from "../../cli/commands/advanced/sql.ts";
import { startTestServer } from "../helpers/server.ts";

describe("walt advanced", () => {
  test("sql is not offered: a SQL prompt would bypass ownership rules", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["advanced", "sql"])).toEqual({
      code: 1,
      out: "",
      err: `${SQL_REFUSED}\nHint: read the platform with \`walt node show\`, \`walt device show\`, \`walt log show\`, or the web API (walt help show web-api)\n`,
    });
  });

  test("hub maintenance commands say they are not available yet", async () => {
    await using s = await startTestServer();
    const hint = "Hint: see `walt help show help-intro` for what this version provides\n";
    for (const sub of ["update-hub-meta", "rescan-hub-account"]) {
      const r = await s.cli("alice", ["advanced", sub]);
      expect(r.code).toBe(1);
      expect(r.err).toEndWith(`(walt advanced ${sub}) is not available on this WalT server version yet.\n${hint}`);
    }
  });

  test("image build --help shows WALT's custom usage lines", async () => {
    await using s = await startTestServer();
    const build = await s.cli("alice", ["image", "build", "--help"]);
    expect(build.out).toContain("Usage:\n    walt image build --from-url <git-repo-url> [--sub-dir <path>] <image-name>\n");
    expect(build.out).toContain("\n\n    See 'walt help show image-build' for more info.\n");
  });

  test("the autocomplete helper is not listed among the sub-commands", async () => {
    await using s = await startTestServer();
    expect((await s.cli("alice", ["advanced", "--help"])).out).not.toContain("autocomplete-helper");
  });
});

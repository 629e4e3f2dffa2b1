/**
 * `WALT_SERVER=unix:<path>`: the CLI talks HTTP over the server's unix socket (`<data-dir>/walt.sock`), which is
 * how it reaches a server running in another network namespace (test/e2e/boot.test.ts runs the compiled CLI
 * that way, including `walt node wait` streams longer than Bun's default idle timeout).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { serverUrl } from "../../cli/config.ts";
import { startTestServer } from "../helpers/server.ts";

describe("the CLI over a unix socket", () => {
  test("first contact, then commands, through unix:<path>; the config keeps the socket address", async () => {
    await using s = await startTestServer();
    const sock = join(s.dir, "walt.sock");
    const srv = Bun.serve({ unix: sock, fetch: (req) => s.app.fetch(req, { ip: "" }) });
    try {
      const conf = join(s.dir, "unix-client.conf");
      const env = { WALT_SERVER: `unix:${sock}`, WALT_USER: "carol", WALT_CONFIG: conf, HOME: s.dir };
      const io = memoryIo({ env });
      expect(await runCli(["node", "show"], io)).toBe(0);
      expect(io.out()).toContain(`Configuration was updated in ${conf}.`);
      expect(readFileSync(conf, "utf8")).toContain(`server: "unix:${sock}"`);
      const again = memoryIo({ env: { WALT_CONFIG: conf, HOME: s.dir } });
      expect(await runCli(["device", "show"], again)).toBe(0);
      expect(again.out()).toContain("walt-server");
    } finally {
      await srv.stop(true);
    }
  });

  test("a unix: server address is kept as is, host names become URLs", () => {
    expect(serverUrl("unix:/var/lib/walt/walt.sock")).toBe("unix:/var/lib/walt/walt.sock");
    expect(serverUrl("walt-server")).toBe("http://walt-server");
  });
});

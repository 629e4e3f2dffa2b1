import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { tempDir } from "../../test/helpers/tmp.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { findGanesha, GaneshaSupervisor } from "./ganesha.ts";

describe("nfs-ganesha supervisor", () => {
  test("a missing ganesha is an error naming the Debian packages", () => {
    expect(() => findGanesha("/nonexistent/ganesha.nfsd")).toThrow("nfs-ganesha is not installed (no ganesha.nfsd)");
    try {
      findGanesha("/nonexistent/ganesha.nfsd");
    } catch (e) {
      expect((e as { hint?: string }).hint).toBe("install the Debian packages: apt-get install nfs-ganesha nfs-ganesha-vfs");
    }
  });

  test("starts, reloads exports in phases, is restarted when it dies, and stops", async () => {
    using t = tempDir();
    for (const d of ["a", "b"]) mkdirSync(join(t.path, d));
    const g = new GaneshaSupervisor({ dir: join(t.path, "nfs"), bindAddr: "127.0.0.1", port: 20000 + (process.pid % 20000), log: silentLogger, restartDelaysMs: [50] });
    await g.start();
    try {
      const first = g.pid;
      expect(first).toBeGreaterThan(0);
      const a = { id: 1, path: join(t.path, "a"), pseudo: "/var/lib/walt/nodes/m/fs", access: "RO" as const };
      const b = { id: 2, path: join(t.path, "b"), pseudo: "/var/lib/walt/nodes/m/fs", access: "RO" as const };
      await g.apply([[], [a]]);
      expect(g.reloads).toBe(2);
      await g.apply([[], [b]]);
      expect(g.reloads).toBe(4);
      expect(readFileSync(join(t.path, "nfs", "ganesha.conf"), "utf8")).toContain(`Path = "${join(t.path, "b")}";`);
      process.kill(first ?? 0, "SIGKILL");
      await waitFor(() => g.restarts === 1 && g.pid !== undefined && g.pid !== first, "the restart", 20_000, 20);
      await g.apply([[a]]);
      expect(g.reloads).toBe(5);
    } finally {
      const pid = g.pid;
      await g.stop(AbortSignal.timeout(10_000));
      expect(pid === undefined || !existsSync(`/proc/${pid}`)).toBe(true);
    }
  }, 60_000);
});

import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, silentLogger } from "../../src/log.ts";
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
    const g = new GaneshaSupervisor({ dir: join(t.path, "nfs"), bindAddr: "127.0.0.1", port: 20000 + (process.pid % 20000), log: silentLogger, restartDelaysMs: [50], nfsv3: false });
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

  test("no rpcbind taking its NFSv3 registration: ganesha is started again serving NFSv4 only, with a warning", async () => {
    using t = tempDir();
    // A stand-in for ganesha.nfsd that behaves as the real one does without rpcbind (seen here: it logs
    // "Cannot register NFS V3 on TCP" and exits), and starts when its configuration asks for NFSv4 only.
    const fake = join(t.path, "ganesha.nfsd");
    writeFileSync(
      fake,
      `#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -f ] && conf=$2; shift; done
if grep -q "Protocols = 3, 4" "$conf"; then echo "x[main] __Register_program :DISP :MAJ :Cannot register NFS V3 on TCP" >&2; exit 2; fi
echo "x[main] nfs_start :NFS STARTUP :EVENT :             NFS SERVER INITIALIZED" >&2
exec sleep 600
`,
    );
    chmodSync(fake, 0o755);
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", write: (l) => lines.push(l) });
    const g = new GaneshaSupervisor({ dir: join(t.path, "nfs"), bindAddr: "127.0.0.1", binary: fake, log: logger, restartDelaysMs: [50] });
    expect(g.nfsv3).toBe(true);
    await g.start();
    try {
      expect(g.nfsv3).toBe(false);
      expect(readFileSync(join(t.path, "nfs", "ganesha.conf"), "utf8")).not.toContain("MNT_Port");
      expect(lines.some((l) => l.includes("no rpcbind accepted ganesha's NFSv3 registration: serving NFSv4.1 only"))).toBe(true);
      expect(g.restarts).toBe(0);
    } finally {
      await g.stop(AbortSignal.timeout(5000));
    }
  }, 30_000);
});

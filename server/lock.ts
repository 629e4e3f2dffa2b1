/**
 * One server per data directory: a pid file created exclusively. A stale file (its process is gone)
 * is taken over; a live one refuses the start with a clear message.
 */
import { openSync, closeSync, writeSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../src/errors.ts";

export interface DataDirLock {
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, "server.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new WaltError("UNAVAILABLE", `Cannot create ${path}: ${(e as Error).message}`, { hint: "check that the data directory is writable" });
      }
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new WaltError("CONFLICT", `Another walt server (pid ${pid}) is already using the data directory ${dataDir}.`, {
          hint: "stop it first, or start this one with another --data-dir",
        });
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new WaltError("CONFLICT", `Cannot lock the data directory ${dataDir}.`);
}

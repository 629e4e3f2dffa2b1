/**
 * The real `Sys` of a node: mounts and friends through the image's own commands (busybox or util-linux, found on
 * PATH), files through node:fs, the hand-over through Bun's `process.execve`.
 */
import { lstat, mkdir, open, readdir, readFile, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import { nbdConnect, nbdDisconnect } from "../nbd/connect.ts";
import { residentRanges } from "./resident.ts";
import { mountArgs, SysError, type SpawnOptions, type SpawnResult, type Sys } from "./sys.ts";

/** The kernel starts init with no PATH; the initramfs passes this one. */
export const DEFAULT_PATH = "/bin:/sbin:/usr/bin:/usr/sbin";
/** Deadline of each step of an NBD connection (TCP connect, each handshake message, each netlink answer). */
const NBD_STEP_TIMEOUT_MS = 30_000;
/** A mount over NFS can hang for minutes when the server is gone: give up before that. */
const MOUNT_TIMEOUT_MS = 90_000;
/**
 * How long to wait for a command's output once it has exited: a daemonising child (nbd-client) may keep the pipes
 * open for ever, and the exit code is what matters.
 */
const OUTPUT_GRACE_MS = 500;

export interface RealSysOptions {
  env?: Record<string, string | undefined>;
}

export function createRealSys(opts: RealSysOptions = {}): Sys {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env)) if (v !== undefined) env[k] = v;
  env["PATH"] ??= DEFAULT_PATH;
  const path = env["PATH"];

  const spawn = async (cmd: string[], o: SpawnOptions = {}): Promise<SpawnResult> => {
    let proc;
    try {
      proc = Bun.spawn({
        cmd,
        env,
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs, killSignal: "SIGKILL" as const }),
      });
    } catch (e) {
      return { code: 127, stdout: "", stderr: `${cmd[0] ?? ""}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    const exit = await proc.exited;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<[string, string]>((resolve) => {
      timer = setTimeout(() => resolve(["", ""]), OUTPUT_GRACE_MS);
    });
    const [stdout, stderr] = await Promise.race([output, grace]);
    clearTimeout(timer);
    if (proc.signalCode !== null && o.timeoutMs !== undefined) {
      return { code: -1, stdout, stderr: `${stderr}${cmd[0] ?? ""}: timed out after ${o.timeoutMs} ms` };
    }
    return { code: exit, stdout, stderr };
  };

  const run = async (cmd: string[], what: string, timeoutMs?: number): Promise<void> => {
    const r = await spawn(cmd, timeoutMs === undefined ? {} : { timeoutMs });
    if (r.code !== 0) throw new SysError(`${what}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  };

  const exists = async (p: string): Promise<boolean> => {
    try {
      await lstat(p);
      return true;
    } catch {
      return false;
    }
  };

  return {
    mount: (source, target, fstype, options) =>
      run(["mount", ...mountArgs(source, target, fstype, options)], `mount ${target}`, MOUNT_TIMEOUT_MS),
    umount: (target, o = {}) => run(["umount", ...(o.lazy ? ["-l"] : []), target], `umount ${target}`, MOUNT_TIMEOUT_MS),
    mkdir: async (p) => {
      await mkdir(p, { recursive: true });
    },
    writeFile: (p, data) => writeFile(p, data),
    readFile: (p) => readFile(p, "utf8"),
    readBytes: async (p, offset, length) => {
      const fh = await open(p, "r");
      try {
        const buf = new Uint8Array(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    exists,
    listDir: async (p) => {
      try {
        return (await readdir(p)).sort();
      } catch {
        return [];
      }
    },
    mtimeMs: async (p) => (await stat(p)).mtimeMs,
    remove: (p) => rm(p, { recursive: true, force: true }),
    rename: (from, to) => rename(from, to),
    freeKiB: async (p) => {
      const s = await statfs(p);
      return Math.floor((s.bavail * s.bsize) / 1024);
    },
    spawn,
    which: (cmd) => Promise.resolve(Bun.which(cmd, { PATH: path }) !== null),
    modprobe: async (name) => (await exists(`/sys/module/${name}`)) || (await spawn(["modprobe", name])).code === 0,
    nbdConnect: (server, port, exportName, index) =>
      nbdConnect({ server, port, exportName, index, timeoutMs: NBD_STEP_TIMEOUT_MS }).catch((e: unknown) => {
        throw new SysError(e instanceof Error ? e.message : String(e));
      }),
    nbdDisconnect: (index) => {
      try {
        nbdDisconnect(index, NBD_STEP_TIMEOUT_MS);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(new SysError(e instanceof Error ? e.message : String(e)));
      }
    },
    pivotRoot: async (newRoot, putOld) => {
      await run(["pivot_root", newRoot, putOld], `pivot_root ${newRoot}`);
      // pivot_root(2) moved our root and cwd; chdir again so relative paths resolve in the new root.
      process.chdir("/");
    },
    execve: (p, argv, e) => {
      if (typeof process.execve !== "function") throw new SysError("process.execve is not available in this Bun");
      process.execve(p, argv, e);
    },
    spawnDetached: (cmd) => {
      try {
        // setsid(): no signal of the console's session reaches it; not waited for, it outlives our execve.
        const proc = Bun.spawn({ cmd, env, detached: true, stdio: ["ignore", "inherit", "inherit"] });
        proc.unref();
        return Promise.resolve(proc.pid);
      } catch (e) {
        return Promise.reject(new SysError(`${cmd[0] ?? ""}: ${e instanceof Error ? e.message : String(e)}`));
      }
    },
    residentRanges: (p) => {
      try {
        return Promise.resolve(residentRanges(p));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new SysError(String(e)));
      }
    },
    shell: async () => {
      const proc = Bun.spawn({ cmd: ["sh"], env, stdio: ["inherit", "inherit", "inherit"] });
      await proc.exited;
    },
  };
}

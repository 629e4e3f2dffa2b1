/**
 * The system calls walt-init needs, behind one injected interface (model-codebases §4.10): steps never touch
 * the machine directly, so unit tests run them against `FakeSys` and check the order and arguments of every
 * mount; `createRealSys` (real.ts) runs the actual commands on a node.
 */
import { WaltError } from "../../src/errors.ts";

export interface SpawnResult {
  /** Exit code; 127 when the command does not exist, -1 when it was killed by the timeout. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** Kill the command after this long (none by default). */
  timeoutMs?: number;
}

export interface Sys {
  /** `mount` (see `mountArgs` for how bind, move and remount are spelled); throws a SysError on failure. */
  mount(source: string, target: string, fstype: string, options?: string): Promise<void>;
  /** `umount [-l]`; throws a SysError on failure. */
  umount(target: string, opts?: { lazy?: boolean }): Promise<void>;
  /** `mkdir -p`. */
  mkdir(path: string): Promise<void>;
  writeFile(path: string, data: string): Promise<void>;
  readFile(path: string): Promise<string>;
  /** `length` bytes at `offset` (a superblock magic); fewer when the file is shorter. */
  readBytes(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** Whether the path exists; a dangling symlink counts (`/sbin/init` may point into a root not switched to yet). */
  exists(path: string): Promise<boolean>;
  /** Entry names, sorted; empty when the directory does not exist. */
  listDir(path: string): Promise<string[]>;
  mtimeMs(path: string): Promise<number>;
  /** `rm -rf`. */
  remove(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Space available to non-root users of the filesystem holding `path`, in KiB. */
  freeKiB(path: string): Promise<number>;
  /** Run a command and collect its output; never throws. */
  spawn(cmd: string[], opts?: SpawnOptions): Promise<SpawnResult>;
  /** Whether a command is on the PATH. */
  which(cmd: string): Promise<boolean>;
  /** Load a kernel module (true if loaded or built in). */
  modprobe(name: string): Promise<boolean>;
  /**
   * Connect /dev/nbd<index> to an NBD export with the agent's own client (TCP handshake, then the socket handed to
   * the kernel over generic netlink, agent/nbd/connect.ts); resolves with the export size, throws a SysError.
   */
  nbdConnect(server: string, port: number, exportName: string, index: number): Promise<{ sizeBytes: number }>;
  /** NBD_CMD_DISCONNECT of /dev/nbd<index> over generic netlink; throws a SysError. */
  nbdDisconnect(index: number): Promise<void>;
  /** pivot_root(2) through the `pivot_root` command, then chdir to the new `/`; throws a SysError on failure. */
  pivotRoot(newRoot: string, putOld: string): Promise<void>;
  /** Replace this process (never returns on a node; FakeSys records the call and returns). */
  execve(path: string, argv: string[], env: Record<string, string>): void;
  /** An interactive shell on the console (walt.debug=1), resolved when it exits. */
  shell(): Promise<void>;
  /**
   * Start a daemon that outlives this process and its execve (a new session; stdin /dev/null, stdout and stderr
   * the console); resolves to its pid once started, throws a SysError when it cannot start.
   */
  spawnDetached(cmd: string[]): Promise<number>;
  /** The byte ranges of a file in the page cache (agent/sys/resident.ts); throws a SysError. */
  residentRanges(path: string): Promise<{ size: number; ranges: [number, number][] }>;
}

/** A system call that failed; its message says which and why. */
export class SysError extends WaltError {
  constructor(message: string) {
    super("EXTERNAL", message);
    this.name = "SysError";
  }
}

/**
 * Arguments of `mount` for our calls: fstype `none` (or empty) adds no `-t`; options `bind` and `move` become
 * `--bind` / `--move` (spelled the same by busybox and util-linux); a `remount,…` names only the target.
 */
export function mountArgs(source: string, target: string, fstype: string, options = ""): string[] {
  if (options === "bind" || options === "move") return [`--${options}`, source, target];
  const t = fstype === "" || fstype === "none" ? [] : ["-t", fstype];
  if (options.startsWith("remount")) return [...t, "-o", options, target];
  return [...t, ...(options === "" ? [] : ["-o", options]), source, target];
}

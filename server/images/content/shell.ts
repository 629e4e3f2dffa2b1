/**
 * An interactive shell in a writable copy of an image (no container engine: `podman run` does not work here).
 *
 * `unshare --mount --uts --ipc --pid --fork --kill-child --mount-proc` gives the shell its own mount, hostname,
 * IPC and PID namespaces (so every process it starts dies with it, and nothing it mounts is seen outside); a host
 * `sh` then mounts a small /dev (tmpfs with null, zero, full, random, urandom, tty and a devpts), names the
 * host `image-shell` and `chroot`s into the copy, where the image's shell (/bin/bash, else /bin/sh) runs as a
 * login shell in /root — WALT's "limited virtual environment (with just the shell process)".
 *
 * With `tty`, the shell gets a pseudo-terminal (Bun.Terminal, no native addon); otherwise plain pipes, stdout and
 * stderr kept apart. This is chroot isolation, not a container: the shell runs as root on the server.
 */
import { existsSync, lstatSync, mkdirSync, rmdirSync } from "node:fs";
import { WaltError } from "../../../src/errors.ts";
import { resolveInImage } from "./image-path.ts";

export interface ShellOptions {
  /** The writable root filesystem. */
  root: string;
  tty: boolean;
  cols: number;
  rows: number;
  term?: string | undefined;
  onOut(data: Uint8Array): void;
  onErr(data: Uint8Array): void;
}

export interface RunningShell {
  write(data: Uint8Array): void;
  /** End of the client's input (pipes: close stdin; terminal: the EOF character). */
  closeInput(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  /** Exit status, once the process has exited and all its output was delivered. */
  readonly done: Promise<number>;
}

export const SHELL_BANNER = "Note: this is a limited virtual environment (with just the shell process).\nRun 'walt help show shells' for more info.\n\n";

/**
 * Runs on the host inside the new namespaces; $1 = root, $2 = `host` to bind the host's /dev/pts (so the
 * terminal the server allocated has a name inside, for `tty`, tmux…) or `new` for a private devpts; the rest =
 * the command run in the chroot.
 */
const SETUP = `set -e
r="$1"; pts="$2"; shift 2
mount -t tmpfs -o mode=755,nosuid,size=65536k walt-dev "$r/dev"
cd "$r/dev"
node() { mknod -m 666 "$1" c "$2" "$3" 2>/dev/null || { : > "$1"; mount --bind "/dev/$1" "$1"; }; }
node null 1 3; node zero 1 5; node full 1 7; node random 1 8; node urandom 1 9; node tty 5 0
ln -s /proc/self/fd fd; ln -s fd/0 stdin; ln -s fd/1 stdout; ln -s fd/2 stderr
mkdir pts shm
if [ "$pts" = host ]; then mount --bind /dev/pts pts; else mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts pts 2>/dev/null || true; fi
ln -s pts/ptmx ptmx
hostname image-shell 2>/dev/null || true
cd /
exec chroot "$r" "$@"
`;

const isExecutable = (root: string, path: string): boolean => {
  const host = resolveInImage(root, path);
  if (host === undefined) return false;
  const st = lstatSync(host, { throwIfNoEntry: false });
  return st !== undefined && st.isFile() && (st.mode & 0o111) !== 0;
};

/** Mount points the setup needs; created when the image lacks them, and their names returned for cleanup. */
function ensureMountPoints(root: string): string[] {
  const created: string[] = [];
  for (const dir of ["proc", "dev"]) {
    const p = `${root}/${dir}`;
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) continue;
    if (st !== undefined) throw new WaltError("PRECONDITION", `Cannot open a shell in this image: its /${dir} is not a directory.`);
    mkdirSync(p, { mode: 0o755 });
    created.push(p);
  }
  return created;
}

/** Remove the mount points ensureMountPoints created (empty again once the namespace is gone). */
function removeMountPoints(paths: string[]): void {
  for (const p of paths) {
    try {
      if (existsSync(p)) rmdirSync(p);
    } catch {
      // Still busy or not empty: it will show up in the diff, which is harmless.
    }
  }
}

export function startShell(o: ShellOptions): RunningShell {
  if (process.getuid?.() !== 0) {
    throw new WaltError("UNAVAILABLE", "Image shells need the WalT server to run as root (mount namespaces and chroot).");
  }
  for (const tool of ["unshare", "chroot", "mount", "mknod"]) {
    if (Bun.which(tool) === null) throw new WaltError("UNAVAILABLE", `Cannot open an image shell: \`${tool}\` is not installed on the server (Debian package util-linux / coreutils).`);
  }
  const shell = isExecutable(o.root, "/bin/bash") ? "/bin/bash" : isExecutable(o.root, "/bin/sh") ? "/bin/sh" : undefined;
  if (shell === undefined) throw new WaltError("PRECONDITION", "Cannot open a shell in this image: it has no /bin/sh.");
  const created = ensureMountPoints(o.root);
  const inner = [shell, "-c", 'cd /root 2>/dev/null || cd /; exec "$0" -l', shell];
  const cmd = ["unshare", "--mount", "--uts", "--ipc", "--pid", "--fork", "--kill-child", `--mount-proc=${o.root}/proc`, "--", "/bin/sh", "-c", SETUP, "walt-image-shell", o.root, o.tty ? "host" : "new", ...inner];
  const env = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: "/root",
    TERM: o.tty ? (o.term ?? "xterm") : "dumb",
    SHELL: shell,
    LANG: "C.UTF-8",
  };
  const finish = (code: number): number => {
    removeMountPoints(created);
    return code;
  };
  if (o.tty) {
    let ptyClosed!: () => void;
    const drained = new Promise<void>((r) => (ptyClosed = r));
    const proc = Bun.spawn(cmd, {
      env,
      terminal: { cols: o.cols, rows: o.rows, name: env.TERM, data: (_t, d) => o.onOut(d), exit: () => ptyClosed() },
    });
    const term = proc.terminal as Bun.Terminal;
    const done = proc.exited.then(async (code) => {
      // Output written just before the exit is still in the PTY: wait for its EOF, then release it.
      await Promise.race([drained, Bun.sleep(2000)]);
      term.close();
      return finish(code);
    });
    return {
      write: (d) => void term.write(d),
      closeInput: () => void term.write("\x04"),
      resize: (c, r) => term.resize(c, r),
      kill: () => proc.kill("SIGKILL"),
      done,
    };
  }
  const proc = Bun.spawn(cmd, { env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  const pump = async (s: ReadableStream<Uint8Array>, to: (d: Uint8Array) => void): Promise<void> => {
    for await (const chunk of s) to(chunk);
  };
  const done = Promise.all([proc.exited, pump(proc.stdout, o.onOut), pump(proc.stderr, o.onErr)]).then(([code]) => finish(code));
  return {
    // The shell may be gone already (it read `exit`): input written after that is dropped.
    write: (d) => {
      try {
        void Promise.resolve(proc.stdin.write(d)).catch(() => undefined);
      } catch {
        /* closed */
      }
    },
    closeInput: () => {
      try {
        void Promise.resolve(proc.stdin.end()).catch(() => undefined);
      } catch {
        /* closed */
      }
    },
    resize: () => undefined,
    kill: () => proc.kill("SIGKILL"),
    done,
  };
}

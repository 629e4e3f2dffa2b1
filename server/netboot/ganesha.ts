/**
 * nfs-ganesha as a supervised child process (the kernel NFS server is not available on these machines):
 * started in the foreground with its log on stderr, which we read to know when it is ready and when a reload
 * (SIGHUP) is complete; restarted with a back-off when it dies; stopped with SIGTERM, then SIGKILL.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { ganeshaConfig, type NfsExport } from "../nfs/ganesha-config.ts";

export interface NfsService {
  start(): Promise<void>;
  /** Apply export lists in order (see exports.ts for why there may be two). */
  apply(phases: readonly NfsExport[][]): Promise<void>;
  stop(deadline: AbortSignal): Promise<void>;
}

export interface GaneshaOptions {
  /** Working directory: config, pid file, recovery state. */
  dir: string;
  bindAddr: string;
  /** NFS port (default 2049, what nodes use; tests pick another). */
  port?: number;
  log: Logger;
  /** Path of ganesha.nfsd (default: found in PATH, /usr/bin, /usr/sbin). */
  binary?: string;
  /** Delays before successive restarts; the last one repeats. */
  restartDelaysMs?: readonly number[];
  readyTimeoutMs?: number;
  /** Try NFSv3 too (default true); without an rpcbind to register with, ganesha falls back to v4 only. */
  nfsv3?: boolean;
  /** MOUNT port when NFSv3 is on (default MOUNT_PORT, 20048; tests pick another). */
  mountPort?: number;
}

export const GANESHA_PACKAGES = "nfs-ganesha nfs-ganesha-vfs";
const READY = "NFS SERVER INITIALIZED";
const RELOADED = "Reread exports complete";
/** Complaints of a ganesha without D-Bus, Kerberos or NFS over UDP: expected, we use none of them. */
const NOISE = /:DBUS :|krb5|keytab|Cannot register NFS V4 on UDP/;
/** ganesha exits with this when no rpcbind accepts its NFSv3/MOUNT registration. */
const NOT_REGISTERED = /Cannot register (NFS|MNT) V\d/;

/** The ganesha binary, or a WaltError naming the Debian packages to install. */
export function findGanesha(binary?: string): string {
  const found = binary ?? Bun.which("ganesha.nfsd", { PATH: `${process.env["PATH"] ?? ""}:/usr/bin:/usr/sbin` });
  const missing = (what: string): WaltError =>
    new WaltError("UNAVAILABLE", `nfs-ganesha is not installed (${what}): nodes cannot mount their image over NFS.`, {
      hint: `install the Debian packages: apt-get install ${GANESHA_PACKAGES}`,
    });
  if (found === null || !existsSync(found)) throw missing("no ganesha.nfsd");
  const libDirs = ["/usr/lib/ganesha", ...readdirSync("/usr/lib").filter((d) => d.endsWith("-linux-gnu")).map((d) => `/usr/lib/${d}/ganesha`)];
  if (!libDirs.some((d) => existsSync(join(d, "libfsalvfs.so")))) throw missing("no VFS backend libfsalvfs.so");
  return found;
}

export class GaneshaSupervisor implements NfsService {
  private proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  private exports: readonly NfsExport[] = [];
  private stopping = false;
  /** Completed export reloads (SIGHUP), as ganesha logged them. */
  reloads = 0;
  private waiters: { reloads: number; resolve: () => void }[] = [];
  private readyWaiter: (() => void) | undefined;
  private ready: Promise<void> = Promise.resolve();
  private queue: Promise<void> = Promise.resolve();
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private readonly tail: string[] = [];
  private readonly binary: string;
  /** How many times ganesha was restarted after dying (tests, diagnostics). */
  restarts = 0;
  /** Whether NFSv3 is served (false after a failed rpcbind registration). */
  nfsv3: boolean;

  constructor(private readonly o: GaneshaOptions) {
    this.binary = findGanesha(o.binary);
    this.nfsv3 = o.nfsv3 ?? true;
  }

  /** The running ganesha's pid (tests kill it to check the restart). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private get confPath(): string {
    return join(this.o.dir, "ganesha.conf");
  }

  private writeConfig(exports: readonly NfsExport[]): void {
    writeFileSync(
      this.confPath,
      ganeshaConfig(exports, {
        bindAddr: this.o.bindAddr,
        recoveryDir: join(this.o.dir, "recovery"),
        nfsv3: this.nfsv3,
        ...(this.o.port === undefined ? {} : { port: this.o.port }),
        ...(this.o.mountPort === undefined ? {} : { mountPort: this.o.mountPort }),
      }),
    );
  }

  async start(): Promise<void> {
    mkdirSync(join(this.o.dir, "recovery"), { recursive: true });
    this.writeConfig(this.exports);
    try {
      try {
        await this.spawn();
      } catch (e) {
        if (!this.nfsv3 || !this.tail.some((l) => NOT_REGISTERED.test(l))) throw e;
        // Nodes fall back to NFSv4.1 (initramfs init.sh); WALT's own images, which mount with vers=3, will not boot.
        this.o.log.warn("nfs: no rpcbind accepted ganesha's NFSv3 registration: serving NFSv4.1 only", {
          hint: "is something other than rpcbind on port 111? Nodes booting WALT's own images need NFSv3.",
        });
        this.nfsv3 = false;
        clearTimeout(this.restartTimer); // the failed one's exit scheduled a restart: this start replaces it
        this.failures = 0;
        this.writeConfig(this.exports);
        await this.spawn();
      }
    } catch (e) {
      this.stopping = true;
      clearTimeout(this.restartTimer);
      throw e;
    }
  }

  private async spawn(): Promise<void> {
    const argv = [this.binary, "-F", "-L", "STDERR", "-f", this.confPath, "-p", join(this.o.dir, "ganesha.pid")];
    const setpriv = Bun.which("setpriv");
    // A server that dies must not leave its NFS server behind (the next one could not bind port 2049).
    const proc = Bun.spawn(setpriv === null ? argv : [setpriv, "--pdeathsig", "KILL", "--", ...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    this.proc = proc;
    const ready = new Promise<void>((resolve) => (this.readyWaiter = resolve));
    // apply() waits for this: a SIGHUP sent before ganesha is ready is lost (seen under load).
    this.ready = Promise.race([ready, proc.exited.then(() => undefined)]);
    void this.read(proc.stdout);
    void this.read(proc.stderr);
    const startedAt = Date.now();
    void proc.exited.then((code) => this.onExit(proc, code, startedAt));
    const timeout = this.o.readyTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      ready.then(() => "ready" as const),
      proc.exited.then(() => "exited" as const),
      new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeout))),
    ]);
    clearTimeout(timer);
    if (outcome !== "ready") {
      if (outcome === "timeout") proc.kill("SIGKILL");
      const why = outcome === "timeout" ? `not ready after ${timeout} ms` : `exit code ${proc.exitCode ?? "?"}`;
      throw new WaltError("UNAVAILABLE", `nfs-ganesha did not start (${why}): ${this.tail.slice(-3).join(" | ")}`, {
        hint: `check that nothing else listens on ${this.o.bindAddr}:2049; packages: ${GANESHA_PACKAGES}`,
      });
    }
    this.o.log.info("nfs: ganesha ready", { pid: proc.pid });
  }

  private async read(stream: ReadableStream<Uint8Array>): Promise<void> {
    let buf = "";
    const dec = new TextDecoder();
    for await (const bytes of stream) {
      const chunk = dec.decode(bytes, { stream: true });
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        this.onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 20) this.tail.shift();
    if (line.includes(READY)) this.readyWaiter?.();
    if (line.includes(RELOADED)) {
      this.reloads++;
      for (const w of this.waiters.filter((x) => x.reloads <= this.reloads)) w.resolve();
      this.waiters = this.waiters.filter((x) => x.reloads > this.reloads);
    }
    if (/:(CRIT|MAJ|FATAL) :/.test(line) && !NOISE.test(line)) this.o.log.warn("nfs: ganesha", { line: line.replace(/^.*?\]\s*/, "") });
    else this.o.log.debug("nfs: ganesha", { line });
  }

  private onExit(proc: Subprocess, code: number, startedAt: number): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    if (this.stopping) return;
    if (Date.now() - startedAt > 60_000) this.failures = 0;
    this.o.log.error("nfs: ganesha died, restarting", { code, lastLines: this.tail.slice(-3).join(" | ") });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delays = this.o.restartDelaysMs ?? [500, 1000, 2000, 5000, 10_000];
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 1000;
    this.failures++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.writeConfig(this.exports);
      this.restarts++;
      this.spawn().catch((e: unknown) => {
        // Its exit already scheduled the next attempt (onExit).
        this.o.log.error("nfs: ganesha restart failed", { error: e instanceof Error ? e.message : String(e) });
      });
    }, delay);
  }

  apply(phases: readonly NfsExport[][]): Promise<void> {
    const job = async (): Promise<void> => {
      for (const exports of phases) {
        this.exports = exports;
        this.writeConfig(exports);
        await this.ready;
        const proc = this.proc;
        if (proc === undefined) continue; // a restart will read the file
        const target = this.reloads + 1;
        const done = new Promise<void>((resolve) => this.waiters.push({ reloads: target, resolve }));
        proc.kill("SIGHUP");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((r) => (timer = setTimeout(r, 15_000)));
        await Promise.race([done, late, proc.exited]);
        clearTimeout(timer);
      }
    };
    this.queue = this.queue.then(job, job);
    return this.queue;
  }

  async stop(deadline: AbortSignal): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const proc = this.proc;
    if (proc === undefined) return;
    proc.kill("SIGTERM");
    const aborted = new Promise<void>((r) => (deadline.aborted ? r() : deadline.addEventListener("abort", () => r(), { once: true })));
    await Promise.race([proc.exited, aborted]);
    if (proc.exitCode === null) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
  }
}

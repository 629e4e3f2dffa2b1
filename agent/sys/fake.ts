/**
 * A `Sys` for tests: an in-memory file tree and a mount table, and `calls`, every effect in order written as the
 * command a node would run (`mount -t tmpfs -o size=50% tmpfs /run/walt/rw`, `mkdir -p …`). Reads are not
 * recorded. Failures are injected by matching a call's text.
 */
import { mountArgs, SysError, type SpawnResult, type Sys } from "./sys.ts";

export interface FakeMount {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

type Outcome = SpawnResult | ((cmd: string[]) => SpawnResult);

const parentOf = (p: string): string => p.slice(0, Math.max(p.lastIndexOf("/"), 1));
const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir === "/" ? "/" : `${dir}/`);

export class FakeSys implements Sys {
  readonly calls: string[] = [];
  readonly files = new Map<string, string | Uint8Array>();
  readonly dirs = new Set<string>(["/"]);
  readonly mounts: FakeMount[] = [];
  /** Commands `which` finds. */
  readonly commands = new Set<string>(["mount", "umount", "modprobe", "pivot_root", "cp", "du", "reboot", "sh"]);
  /** Modules `modprobe` can load. */
  readonly modules = new Set<string>(["overlay", "ext4", "nfs", "nbd"]);
  /** What appears under the mount point when a device is mounted (paths relative to it; a trailing / is a directory). */
  readonly contents = new Map<string, string[]>();
  readonly mtimes = new Map<string, number>();
  /** Free space of a filesystem, by path. */
  freeKiB: (path: string) => Promise<number> = () => Promise.resolve(1e9);
  private readonly failures: { match: string | RegExp; message: string }[] = [];
  private readonly outcomes: { prefix: string; outcome: Outcome }[] = [];

  constructor(files: Record<string, string> = {}) {
    for (const [p, v] of Object.entries(files)) this.put(p, v);
  }

  /** Every call whose text contains `match` (or matches it) fails with `message`. */
  fail(match: string | RegExp, message = "failed"): this {
    this.failures.push({ match, message });
    return this;
  }

  /** What a spawned command starting with `prefix` returns (default: exit 0, no output). */
  onSpawn(prefix: string, outcome: Outcome): this {
    this.outcomes.push({ prefix, outcome });
    return this;
  }

  /** Calls whose text starts with one of the prefixes. */
  only(...prefixes: string[]): string[] {
    return this.calls.filter((c) => prefixes.some((p) => c.startsWith(p)));
  }

  /** A file (or device) and its parent directories. */
  put(path: string, data: string | Uint8Array = ""): void {
    this.files.set(path, data);
    this.addDir(parentOf(path));
  }

  private addDir(path: string): void {
    for (let p = path; !this.dirs.has(p); p = parentOf(p)) this.dirs.add(p);
  }

  private record(call: string): void {
    this.calls.push(call);
    const f = this.failures.find(({ match }) => (typeof match === "string" ? call.includes(match) : match.test(call)));
    if (f) throw new SysError(`${call}: ${f.message}`);
  }

  private entries(): string[] {
    return [...this.dirs, ...this.files.keys()];
  }

  mount(source: string, target: string, fstype: string, options = ""): Promise<void> {
    this.record(`mount ${mountArgs(source, target, fstype, options).join(" ")}`);
    if (options === "move") {
      for (const m of this.mounts) if (m.target === source) m.target = target;
    } else if (!options.startsWith("remount")) {
      this.mounts.push({ source, target, fstype, options });
      for (const rel of this.contents.get(source) ?? []) {
        if (rel.endsWith("/")) this.addDir(`${target}/${rel.slice(0, -1)}`);
        else this.put(`${target}/${rel}`);
      }
    }
    return Promise.resolve();
  }

  umount(target: string, opts: { lazy?: boolean } = {}): Promise<void> {
    this.record(`umount ${opts.lazy ? "-l " : ""}${target}`);
    const i = this.mounts.findLastIndex((m) => m.target === target);
    if (i >= 0) this.mounts.splice(i, 1);
    for (const p of this.entries()) if (p !== target && under(p, target)) this.drop(p);
    return Promise.resolve();
  }

  private drop(p: string): void {
    this.dirs.delete(p);
    this.files.delete(p);
  }

  mkdir(path: string): Promise<void> {
    this.record(`mkdir -p ${path}`);
    this.addDir(path);
    return Promise.resolve();
  }

  writeFile(path: string, data: string): Promise<void> {
    this.record(`write ${path}`);
    this.put(path, data);
    return Promise.resolve();
  }

  readFile(path: string): Promise<string> {
    if (path === "/proc/mounts" && !this.files.has(path)) {
      return Promise.resolve(this.mounts.map((m) => `${m.source} ${m.target} ${m.fstype} ${m.options || "rw"} 0 0\n`).join(""));
    }
    const v = this.files.get(path);
    if (v === undefined) return Promise.reject(new SysError(`${path}: no such file`));
    return Promise.resolve(typeof v === "string" ? v : new TextDecoder().decode(v));
  }

  /** What `residentRanges` answers, by path (absent: it fails). */
  readonly resident = new Map<string, { size: number; ranges: [number, number][] }>();

  residentRanges(path: string): Promise<{ size: number; ranges: [number, number][] }> {
    this.record(`resident ${path}`);
    const r = this.resident.get(path);
    return r === undefined ? Promise.reject(new SysError(`mincore ${path}: failed`)) : Promise.resolve(r);
  }

  readBytes(path: string, offset: number, length: number): Promise<Uint8Array> {
    const v = this.files.get(path);
    if (v === undefined) return Promise.reject(new SysError(`${path}: no such file`));
    const b = typeof v === "string" ? new TextEncoder().encode(v) : v;
    return Promise.resolve(b.slice(offset, offset + length));
  }

  exists(path: string): Promise<boolean> {
    return Promise.resolve(this.files.has(path) || this.dirs.has(path));
  }

  listDir(path: string): Promise<string[]> {
    const names = new Set<string>();
    const prefix = path === "/" ? "/" : `${path}/`;
    for (const p of this.entries()) if (p.startsWith(prefix) && p !== prefix) names.add(p.slice(prefix.length).split("/")[0] ?? "");
    return Promise.resolve([...names].sort());
  }

  mtimeMs(path: string): Promise<number> {
    return Promise.resolve(this.mtimes.get(path) ?? 0);
  }

  remove(path: string): Promise<void> {
    this.record(`rm -rf ${path}`);
    for (const p of this.entries()) if (under(p, path)) this.drop(p);
    return Promise.resolve();
  }

  rename(from: string, to: string): Promise<void> {
    this.record(`mv ${from} ${to}`);
    for (const p of this.entries()) {
      if (!under(p, from)) continue;
      const q = to + p.slice(from.length);
      if (this.dirs.delete(p)) this.addDir(q);
      const v = this.files.get(p);
      if (v !== undefined) {
        this.files.delete(p);
        this.put(q, v);
      }
    }
    return Promise.resolve();
  }

  spawn(cmd: string[]): Promise<SpawnResult> {
    const text = cmd.join(" ");
    try {
      this.record(text);
    } catch (e) {
      return Promise.resolve({ code: 1, stdout: "", stderr: e instanceof Error ? e.message : String(e) });
    }
    const o = this.outcomes.findLast(({ prefix }) => text.startsWith(prefix))?.outcome;
    if (o === undefined) return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    return Promise.resolve(typeof o === "function" ? o(cmd) : o);
  }

  which(cmd: string): Promise<boolean> {
    return Promise.resolve(this.commands.has(cmd));
  }

  modprobe(name: string): Promise<boolean> {
    try {
      this.record(`modprobe ${name}`);
    } catch {
      return Promise.resolve(false);
    }
    const ok = this.modules.has(name);
    if (ok) this.addDir(`/sys/module/${name}`);
    return Promise.resolve(ok);
  }

  /** Size of every export nbdConnect attaches (fail("nbd-connect") to refuse). */
  nbdSizeBytes = 16 * 1024 ** 3;

  nbdConnect(server: string, port: number, exportName: string, index: number): Promise<{ sizeBytes: number }> {
    this.record(`nbd-connect ${server}:${port} ${exportName} /dev/nbd${index}`);
    return Promise.resolve({ sizeBytes: this.nbdSizeBytes });
  }

  nbdDisconnect(index: number): Promise<void> {
    this.record(`nbd-disconnect /dev/nbd${index}`);
    return Promise.resolve();
  }

  pivotRoot(newRoot: string, putOld: string): Promise<void> {
    this.record(`pivot_root ${newRoot} ${putOld}`);
    return Promise.resolve();
  }

  execve(path: string, argv: string[]): void {
    this.record(`execve ${path} ${JSON.stringify(argv)}`);
  }

  shell(): Promise<void> {
    this.record("sh");
    return Promise.resolve();
  }

  /** Recorded as `spawn-detached <cmd>`; fail("spawn-detached") to refuse. */
  spawnDetached(cmd: string[]): Promise<number> {
    this.record(`spawn-detached ${cmd.join(" ")}`);
    return Promise.resolve(4242);
  }
}

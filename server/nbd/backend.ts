/**
 * The data side of the NBD server: which exports exist and where their bytes live. Every connection that picks an
 * export gets a fresh sparse file of the requested size in a dedicated directory (WALT used an anonymous temporary
 * file; a named one lets operators see swap usage with `du`, and is still removed whenever the connection ends).
 * Files are created mode 0600: they hold the nodes' swapped-out memory.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";
import { exportNameFor, resolveExportName, formatBytes, GiB, type ExportLimits, type ExportResolution } from "./export-name.ts";
import { loadLinuxIo } from "./linux-io.ts";
import { SwapFile, type NbdExport } from "./swap-file.ts";

export type { ExportResolution } from "./export-name.ts";
export type { NbdExport } from "./swap-file.ts";

/** What a session asks of its backend. */
export interface NbdBackend {
  /** Decide whether a name designates an export, and its size (no side effect). */
  resolve(name: string): ExportResolution;
  /** Names announced by NBD_OPT_LIST. */
  list(): string[];
  /** Create the storage of a resolved export for one connection; `owner` names the peer in the file name. */
  open(name: string, owner: string): Promise<NbdExport>;
}

export interface SwapBackendOptions {
  /** Dedicated directory for the swap files; leftovers found there at start are removed. */
  dir: string;
  /** Largest export a client may ask for (default 16 GiB, WALT's swap size). */
  maxBytes?: number | undefined;
  /** Size of `swap` and of the default export (default 16 GiB, capped to maxBytes). */
  defaultBytes?: number | undefined;
}

export interface SwapBackend extends NbdBackend {
  readonly dir: string;
  /** Create the directory and delete swap files left by a previous run that died. Returns how many were removed. */
  prepare(): Promise<number>;
  /** Paths of the swap files currently open. */
  openFiles(): string[];
  /** Last resort when a stop deadline expires: delete every open swap file now. */
  removeAllNow(): void;
}

const FILE = /^nbd-swap-.*\.img$/;

export function createSwapBackend(opts: SwapBackendOptions): SwapBackend {
  const maxBytes = opts.maxBytes ?? 16 * GiB;
  const limits: ExportLimits = { maxBytes, defaultBytes: Math.min(opts.defaultBytes ?? 16 * GiB, maxBytes) };
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new WaltError("BAD_REQUEST", `Invalid NBD maximum export size ${maxBytes}.`);
  const live = new Map<string, SwapFile | undefined>();
  const linux = loadLinuxIo();

  return {
    dir: opts.dir,
    resolve: (name) => resolveExportName(name, limits),
    list: () => ["swap", exportNameFor(limits.maxBytes)],
    async open(name, owner) {
      const r = resolveExportName(name, limits);
      if (!r.ok) throw new WaltError("NOT_FOUND", r.message);
      await mkdir(opts.dir, { recursive: true, mode: 0o700 });
      const path = join(opts.dir, `nbd-swap-${owner.replace(/[^A-Za-z0-9.-]/g, "_")}-${randomUUID().slice(0, 8)}.img`);
      const handle = await open(path, "wx+", 0o600);
      live.set(path, undefined);
      try {
        await handle.truncate(r.size);
      } catch (e) {
        live.delete(path);
        await handle.close().catch(() => undefined);
        await rm(path, { force: true });
        throw new WaltError("EXTERNAL", `Cannot create a ${formatBytes(r.size)} swap file in ${opts.dir}.`, { cause: e });
      }
      const file = new SwapFile(r.name, r.size, path, handle, linux, (p) => live.delete(p));
      live.set(path, file);
      return file;
    },
    async prepare() {
      await mkdir(opts.dir, { recursive: true, mode: 0o700 });
      const stale = (await readdir(opts.dir)).filter((f) => FILE.test(f));
      await Promise.all(stale.map((f) => rm(join(opts.dir, f), { force: true })));
      return stale.length;
    },
    openFiles: () => [...live.keys()],
    removeAllNow() {
      // Unlink now; the handles close in the background (an unclosed FileHandle is an error when collected).
      for (const [path, file] of live) {
        rmSync(path, { force: true });
        void file?.close().catch(() => undefined);
      }
      live.clear();
    },
  };
}

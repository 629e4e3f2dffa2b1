/**
 * Which export a client asked for. Nodes ask for `swap-<N>G` (walt-init runs `nbd-client -N swap-16G`); `swap-<N>M`
 * is accepted for small test swaps, and `swap` or the protocol's empty default name give the default size.
 *
 * Deliberate fix of WALT's bug (walt-features Appendix A.4): WALT's server applies its size regex to the literal
 * string "swap-16G" instead of the requested name, so every export is 16 GiB whatever the node asks for. Here the
 * requested size is honoured, within the configured maximum.
 */
export type ExportResolution =
  | { ok: true; name: string; size: number }
  | { ok: false; reply: "unknown" | "policy"; message: string };

export interface ExportLimits {
  /** Size of `swap` and of the empty (default) name. */
  defaultBytes: number;
  /** Largest size a client may ask for; larger requests are refused by policy. */
  maxBytes: number;
}

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

const NAME = /^swap(?:-([0-9]{1,7})([MG]))?$/;

/** Human size for messages: 16 GiB, 512 MiB. */
export function formatBytes(n: number): string {
  if (n % GiB === 0) return `${n / GiB} GiB`;
  if (n % MiB === 0) return `${n / MiB} MiB`;
  return `${n} bytes`;
}

/** The export name that asks for `bytes` (rounded down to whole MiB): swap-16G, swap-512M. */
export function exportNameFor(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `swap-${bytes / GiB}G` : `swap-${Math.floor(bytes / MiB)}M`;
}

export function resolveExportName(requested: string, limits: ExportLimits): ExportResolution {
  const name = requested === "" ? "swap" : requested;
  const m = NAME.exec(name);
  if (!m) {
    return { ok: false, reply: "unknown", message: `Unknown export "${requested.slice(0, 256)}"; this server exports swap, swap-<N>G and swap-<N>M.` };
  }
  const [, count, unit] = m;
  const size = count === undefined ? limits.defaultBytes : Number(count) * (unit === "G" ? GiB : MiB);
  if (size === 0) return { ok: false, reply: "unknown", message: `Export "${name}" has no size; ask for at least swap-1M.` };
  if (size > limits.maxBytes) {
    return { ok: false, reply: "policy", message: `Export "${name}" asks for ${formatBytes(size)}, more than the ${formatBytes(limits.maxBytes)} this server allows.` };
  }
  return { ok: true, name, size };
}

/**
 * netascii mode (RFC 1350 / RFC 764): LF goes on the wire as CR LF and a bare CR as CR NUL. tftp-hpa's client
 * uses this mode by default, boot ROMs never do. Each byte converts on its own, so the converted offset of a
 * raw byte is its offset plus the number of CR and LF before it: one pass over the file records that count
 * at every chunk boundary, and a read converts from the chunk holding the requested offset.
 */
import type { TftpFile } from "./routes.ts";

const CR = 13;
const LF = 10;

/** Convert raw bytes to netascii. */
export function toNetascii(raw: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of raw) if (b === CR || b === LF) extra++;
  if (extra === 0) return raw;
  const out = new Uint8Array(raw.length + extra);
  let at = 0;
  for (const b of raw) {
    if (b === LF) {
      out[at++] = CR;
      out[at++] = LF;
    } else if (b === CR) {
      out[at++] = CR;
      out[at++] = 0;
    } else out[at++] = b;
  }
  return out;
}

/** Wrap a file so that it is read in its netascii form; `size` is the converted size (reported by tsize). */
export async function netasciiFile(file: TftpFile, chunk = 64 * 1024): Promise<TftpFile> {
  const starts: number[] = []; // converted offset of each raw chunk
  let converted = 0;
  for (let raw = 0; raw < file.size; raw += chunk) {
    starts.push(converted);
    converted += toNetascii(await file.read(raw, Math.min(chunk, file.size - raw))).length;
  }
  let cached: { index: number; bytes: Uint8Array } | null = null;
  const convertedChunk = async (index: number): Promise<Uint8Array> => {
    if (cached?.index !== index) cached = { index, bytes: toNetascii(await file.read(index * chunk, chunk)) };
    return cached.bytes;
  };
  return {
    size: converted,
    close: () => file.close(),
    read: async (offset, length) => {
      const out = new Uint8Array(Math.max(0, Math.min(length, converted - offset)));
      let filled = 0;
      let index = upperBound(starts, offset) - 1;
      while (filled < out.length && index < starts.length) {
        const bytes = await convertedChunk(index);
        const from = offset + filled - (starts[index] ?? 0);
        const part = bytes.subarray(from, from + out.length - filled);
        out.set(part, filled);
        filled += part.length;
        index++;
      }
      return out;
    },
  };
}

/** Index of the first element greater than `v` in a sorted array. */
function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

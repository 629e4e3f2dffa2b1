/**
 * Transmission phase: one request in, its effect on the export and its simple reply out. `checkRequest` is the pure
 * decision (bounds, sizes, flags); `serveCommand` streams payloads between the connection and the export in chunks.
 */
import type { NbdExport } from "./swap-file.ts";
import { CMD, CMD_FLAG, NBD_ERR, SIZE, encodeSimpleReply, writeSimpleReply, type Request } from "./protocol.ts";
import { ACCEPTED_CMD_FLAGS } from "./options.ts";

/** Size of the pieces a large READ is read and sent in, and of the payload batches a WRITE is written in. */
export const CHUNK_BYTES = 1024 * 1024;

export type Verdict =
  | { ok: true }
  /** Answer `error`; `skip` payload bytes first (a refused WRITE's data is still on the wire); `hangup` afterwards. */
  | { ok: false; error: number; skip: number; hangup?: string };

/**
 * Decide whether a request can be served. Past-the-end READ and TRIM get EINVAL; past-the-end WRITE and WRITE_ZEROES
 * get ENOSPC, as the protocol asks (and qemu-nbd does). A READ or WRITE longer than `maxRequestBytes` gets EINVAL and
 * the connection is closed: its payload cannot be trusted to be what the header says.
 */
export function checkRequest(req: Request, exportSize: number, maxRequestBytes: number): Verdict {
  const { type, offset, length, flags } = req;
  const hasPayload = type === CMD.WRITE;
  const refuse = (error: number, hangup?: string): Verdict =>
    hangup === undefined ? { ok: false, error, skip: hasPayload ? length : 0 } : { ok: false, error, skip: 0, hangup };
  switch (type) {
    case CMD.READ:
    case CMD.WRITE:
      if (length > maxRequestBytes) return refuse(NBD_ERR.EINVAL, `request of ${length} bytes exceeds the ${maxRequestBytes}-byte limit`);
      break;
    case CMD.TRIM:
    case CMD.WRITE_ZEROES:
    case CMD.FLUSH:
    case CMD.DISC:
      break;
    default:
      return refuse(NBD_ERR.EINVAL);
  }
  if ((flags & ~ACCEPTED_CMD_FLAGS) !== 0) return refuse(NBD_ERR.EINVAL);
  if (type === CMD.FLUSH || type === CMD.DISC) return { ok: true };
  if (offset > exportSize || length > exportSize - offset) {
    return refuse(type === CMD.WRITE || type === CMD.WRITE_ZEROES ? NBD_ERR.ENOSPC : NBD_ERR.EINVAL);
  }
  return { ok: true };
}

/** What serveCommand needs from the connection. */
export interface CommandIo {
  /** The next `n` payload bytes (fewer if the connection ended; an empty list once nothing is left). */
  payload(n: number): Promise<Uint8Array[]>;
  /** Send bytes; resolves once the socket took them all, after which the buffer may be reused. */
  write(bytes: Uint8Array): Promise<void>;
  /** A reusable buffer of at least `n` bytes for READ replies (valid until the next call). */
  scratch(n: number): Uint8Array;
}

/**
 * The per-connection READ buffer: one allocation reused for every reply, instead of fresh megabytes per request
 * (fresh memory costs page faults and garbage collection). Safe because a reply is fully handed to the socket before
 * the next one is read.
 */
export class ScratchBuffer {
  private buf = new Uint8Array(0);

  get(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(n);
    return this.buf.subarray(0, n);
  }
}

export interface TransferStats {
  bytesRead: number;
  bytesWritten: number;
  requests: number;
}

/** Thrown to end the connection; `reason` is logged, as a warning when the client broke the protocol. */
export class Hangup extends Error {
  constructor(
    readonly reason: string,
    readonly violation = true,
  ) {
    super(reason);
    this.name = "Hangup";
  }
}

/** Serve one valid request (checkRequest said ok). Returns "disconnect" for NBD_CMD_DISC. */
export async function serveCommand(req: Request, exp: NbdExport, io: CommandIo, stats: TransferStats): Promise<"continue" | "disconnect"> {
  stats.requests++;
  switch (req.type) {
    case CMD.DISC:
      return "disconnect";
    case CMD.READ:
      await serveRead(req, exp, io);
      stats.bytesRead += req.length;
      break;
    case CMD.WRITE:
      await io.write(encodeSimpleReply(await receiveWrite(req, exp, io), req.cookie));
      stats.bytesWritten += req.length;
      break;
    default:
      await io.write(encodeSimpleReply(await attempt(() => simpleCommand(req, exp)), req.cookie));
  }
  return "continue";
}

function simpleCommand(req: Request, exp: NbdExport): Promise<void> {
  if (req.type === CMD.TRIM) return exp.trim(req.offset, req.length);
  if (req.type === CMD.WRITE_ZEROES) return exp.writeZeroes(req.offset, req.length, (req.flags & CMD_FLAG.NO_HOLE) !== 0);
  return exp.flush();
}

/** Read and send in chunks; the header shares the first chunk's buffer. A failure after the header was sent can only be
 * reported by closing the connection (simple replies carry no late errors). */
async function serveRead(req: Request, exp: NbdExport, io: CommandIo): Promise<void> {
  const firstLen = Math.min(req.length, CHUNK_BYTES);
  const first = io.scratch(SIZE.SIMPLE_REPLY + firstLen);
  const error = await attempt(() => exp.read(first.subarray(SIZE.SIMPLE_REPLY), req.offset));
  if (error !== NBD_ERR.OK) return io.write(encodeSimpleReply(error, req.cookie));
  await io.write(writeSimpleReply(first, NBD_ERR.OK, req.cookie));
  for (let done = firstLen; done < req.length; ) {
    const chunk = io.scratch(Math.min(CHUNK_BYTES, req.length - done));
    if ((await attempt(() => exp.read(chunk, req.offset + done))) !== NBD_ERR.OK) throw new Hangup("read failed after the reply header was sent");
    await io.write(chunk);
    done += chunk.length;
  }
}

/** Write the payload as it arrives; on a failure keep draining it so the stream stays in step, then report. */
async function receiveWrite(req: Request, exp: NbdExport, io: CommandIo): Promise<number> {
  let error: number = NBD_ERR.OK;
  for (let done = 0; done < req.length; ) {
    const parts = await io.payload(Math.min(CHUNK_BYTES, req.length - done));
    if (parts.length === 0) throw new Hangup(`connection ended inside a ${req.length}-byte WRITE`);
    const n = parts.reduce((s, p) => s + p.length, 0);
    if (error === NBD_ERR.OK) error = await attempt(() => exp.write(parts, req.offset + done));
    done += n;
  }
  return error;
}

/** Skip a refused WRITE's payload. */
export async function drainPayload(length: number, io: CommandIo): Promise<void> {
  for (let left = length; left > 0; ) {
    const parts = await io.payload(Math.min(CHUNK_BYTES, left));
    if (parts.length === 0) throw new Hangup(`connection ended inside a refused ${length}-byte WRITE`);
    left -= parts.reduce((s, p) => s + p.length, 0);
  }
}

/** Run an export operation and map its failure to an NBD error number. */
async function attempt(op: () => Promise<void>): Promise<number> {
  try {
    await op();
    return NBD_ERR.OK;
  } catch (e) {
    return errnoOf(e);
  }
}

export function errnoOf(e: unknown): number {
  const code = typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
  if (code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG") return NBD_ERR.ENOSPC;
  if (code === "ENOMEM") return NBD_ERR.ENOMEM;
  if (code === "EPERM" || code === "EACCES" || code === "EROFS") return NBD_ERR.EPERM;
  if (code === "EINVAL") return NBD_ERR.EINVAL;
  return NBD_ERR.EIO;
}

/**
 * The XDR subset ONC RPC and rpcbind need (RFC 4506): unsigned 32-bit integers, booleans, variable-length opaque
 * data and strings, each padded to 4 bytes. The reader never throws: it answers `undefined` once the input is
 * short or a length is beyond its bound, so a truncated or hostile call ends as GARBAGE_ARGS, not an exception.
 */

/** Reads big-endian XDR items from one buffer. */
export class XdrReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }

  bool(): boolean | undefined {
    const v = this.u32();
    // RFC 4506 §4.4: a boolean is an enum of 0 and 1; anything else is malformed.
    return v === 0 ? false : v === 1 ? true : undefined;
  }

  /** Variable-length opaque data of at most `max` bytes (RFC 4506 §4.10), padding skipped. */
  opaque(max: number): Uint8Array | undefined {
    const n = this.u32();
    if (n === undefined || n > max) return undefined;
    const padded = (n + 3) & ~3;
    if (this.remaining < padded) return undefined;
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += padded;
    return v;
  }

  /** A string of at most `max` bytes (RFC 4506 §4.11); rpcbind's strings are ASCII netids and addresses. */
  string(max: number): string | undefined {
    const b = this.opaque(max);
    return b === undefined ? undefined : new TextDecoder().decode(b);
  }
}

/** Appends XDR items; `bytes()` gives the encoding. */
export class XdrWriter {
  private readonly parts: number[] = [];

  u32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  bool(v: boolean): this {
    return this.u32(v ? 1 : 0);
  }

  opaque(b: Uint8Array): this {
    this.u32(b.length);
    for (const x of b) this.parts.push(x);
    for (let i = b.length; i % 4 !== 0; i++) this.parts.push(0);
    return this;
  }

  string(s: string): this {
    return this.opaque(new TextEncoder().encode(s));
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

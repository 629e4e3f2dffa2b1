/**
 * The terminal the CLI talks to. Commands never touch process.stdout/stdin directly: they get an `Io`,
 * so tests run the whole CLI in-process and assert stdout, stderr and the exit code together.
 */
export interface OutStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface InStream {
  readonly isTTY: boolean;
  /** Read one line (without its newline); undefined at end of input. */
  readLine(): Promise<string | undefined>;
  /**
   * Raw key input for full-screen UIs (pager). Calls `onData` for each chunk until the returned function
   * is called. Only meaningful when isTTY.
   */
  raw(onData: (chunk: string) => void): () => void;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: InStream;
  /** Terminal size (columns, rows); defaults when not a TTY. */
  size(): { columns: number; rows: number };
  /** Environment variables visible to the CLI. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the user presses Ctrl-C. */
  readonly interrupted: AbortSignal;
}

/** An in-memory Io for tests: collects output, feeds `input` lines. */
export function memoryIo(opts: { input?: string[]; env?: Record<string, string | undefined>; tty?: boolean } = {}): Io & {
  out(): string;
  err(): string;
  interrupt(): void;
} {
  let out = "";
  let err = "";
  const lines = [...(opts.input ?? [])];
  const ctl = new AbortController();
  const tty = opts.tty ?? false;
  return {
    stdout: { write: (t) => void (out += t), isTTY: tty },
    stderr: { write: (t) => void (err += t), isTTY: tty },
    stdin: {
      isTTY: tty,
      readLine: async () => lines.shift(),
      raw: (onData) => {
        let stopped = false;
        queueMicrotask(() => {
          while (!stopped && lines.length) onData(lines.shift() ?? "");
        });
        return () => {
          stopped = true;
        };
      },
    },
    size: () => ({ columns: 100, rows: 30 }),
    env: opts.env ?? {},
    interrupted: ctl.signal,
    out: () => out,
    err: () => err,
    interrupt: () => ctl.abort(),
  };
}

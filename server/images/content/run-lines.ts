/** Run a command, handing each line of its stdout and stderr to `onLine` as it comes; answers the exit code. */
export async function runLines(
  cmd: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; signal?: AbortSignal },
  onLine: (stream: "out" | "err", line: string) => void,
): Promise<number> {
  const proc = Bun.spawn(cmd, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  });
  const kill = (): void => proc.kill("SIGTERM");
  opts.signal?.addEventListener("abort", kill, { once: true });
  const pump = async (s: ReadableStream<Uint8Array>, stream: "out" | "err"): Promise<void> => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of s) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine(stream, buf.slice(0, nl).replace(/\r$/, ""));
        buf = buf.slice(nl + 1);
      }
    }
    if (buf !== "") onLine(stream, buf);
  };
  try {
    const [code] = await Promise.all([proc.exited, pump(proc.stdout, "out"), pump(proc.stderr, "err")]);
    return code;
  } finally {
    opts.signal?.removeEventListener("abort", kill);
  }
}

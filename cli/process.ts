/**
 * The CLI bound to the real process: stdin/stdout/stderr, terminal size, Ctrl-C. Only this file and
 * cli/main.ts know about the process; commands see an Io.
 */
import { runCli } from "./main.ts";
import type { InStream, Io } from "./ui/io.ts";

function processStdin(): InStream {
  let buffered = "";
  let ended = false;
  let waiting: (() => void) | undefined;
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (d: string) => {
      buffered += d;
      waiting?.();
    });
    process.stdin.on("end", () => {
      ended = true;
      waiting?.();
    });
  };
  return {
    isTTY: Boolean(process.stdin.isTTY),
    async readLine() {
      start();
      process.stdin.resume();
      for (;;) {
        const nl = buffered.indexOf("\n");
        if (nl >= 0) {
          const line = buffered.slice(0, nl).replace(/\r$/, "");
          buffered = buffered.slice(nl + 1);
          process.stdin.pause();
          return line;
        }
        if (ended) {
          const rest = buffered;
          buffered = "";
          return rest === "" ? undefined : rest;
        }
        await new Promise<void>((r) => (waiting = r));
        waiting = undefined;
      }
    },
    raw(onData) {
      process.stdin.setRawMode?.(true);
      process.stdin.setEncoding("utf8");
      process.stdin.resume();
      const h = (d: string): void => onData(d);
      process.stdin.on("data", h);
      return () => {
        process.stdin.off("data", h);
        process.stdin.setRawMode?.(false);
        process.stdin.pause();
      };
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const ctl = new AbortController();
  process.on("SIGINT", () => ctl.abort());
  const io: Io = {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
    stdin: processStdin(),
    size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
    env: process.env,
    interrupted: ctl.signal,
  };
  const code = await runCli(argv, io);
  // Streams (realtime logs) may keep handles open: exit explicitly once the command is done.
  process.exit(code);
}

/**
 * WALT's busy indicator: a label and a spinner on stderr while the server works, only on a TTY,
 * erased when done so the command's output stays clean.
 */
import type { Io } from "./io.ts";

const FRAMES = ["|", "/", "-", "\\"];

export async function withSpinner<T>(io: Io, label: string, fn: () => Promise<T>): Promise<T> {
  if (!io.stderr.isTTY) return fn();
  let i = 0;
  // Show nothing for quick answers: the indicator appears after 150 ms.
  let shown = false;
  const timer = setInterval(() => {
    shown = true;
    io.stderr.write(`\r${label}... ${FRAMES[i++ % FRAMES.length]}`);
  }, 150);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    if (shown) io.stderr.write(`\r${" ".repeat(label.length + 5)}\r`);
  }
}

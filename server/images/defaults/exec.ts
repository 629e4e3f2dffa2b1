/**
 * Child processes of the image recipes (apt, dpkg-deb, kmod, mmdebstrap), each with a timeout. A missing tool
 * is a WaltError naming the Debian package that provides it; a failure quotes the end of the tool's stderr.
 */
import { execa } from "execa";
import { WaltError } from "../../../src/errors.ts";

/** Debian package providing each tool the recipes run. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  "apt-get": "apt",
  "apt-cache": "apt",
  "dpkg-deb": "dpkg",
  modprobe: "kmod",
  depmod: "kmod",
  mmdebstrap: "mmdebstrap",
  umoci: "umoci",
  gcc: "gcc libc6-dev",
};

export interface RunOptions {
  cwd?: string;
  /** Default 10 minutes. */
  timeoutMs?: number;
  env?: Record<string, string>;
  signal?: AbortSignal;
}

/** Where the tool is, also looking in the sbin folders an unprivileged PATH lacks (depmod, modprobe). */
export function findTool(tool: string): string {
  if (tool.includes("/")) return tool;
  const path = `${process.env["PATH"] ?? ""}:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin`;
  const found = Bun.which(tool, { PATH: path });
  if (found) return found;
  const pkg = TOOL_PACKAGES[tool] ?? tool;
  throw new WaltError("PRECONDITION", `${tool} is not installed; building the default images needs it.`, {
    hint: `apt-get install ${pkg}`,
  });
}

const tail = (text: string, lines = 15): string => text.trimEnd().split("\n").slice(-lines).join("\n");

/** Run `tool args…` and answer its stdout; throws a WaltError on a missing tool, a failure or a timeout. */
export async function run(tool: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const file = findTool(tool);
  const timeout = opts.timeoutMs ?? 600_000;
  const r = await execa(file, args, {
    reject: false,
    timeout,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    stdin: "ignore",
    maxBuffer: 64 * 1024 * 1024,
  });
  const command = [tool, ...args].join(" ");
  if (r.timedOut) throw new WaltError("EXTERNAL", `${command} timed out after ${timeout / 1000} s.`);
  if (r.isCanceled) throw new WaltError("CANCELLED", `${command} was cancelled.`);
  if (r.failed) {
    const why = r.exitCode === undefined ? (r.code ?? r.shortMessage) : `exit ${r.exitCode}`;
    throw new WaltError("EXTERNAL", `${command} failed (${why}):\n${tail(String(r.stderr))}`);
  }
  return String(r.stdout);
}

/**
 * Reports boot steps to the server (`POST http://<server>/api/node/v1/boot-steps`, src/api/agent.ts), best effort:
 * each attempt is bounded by a short timeout and never throws, so an absent or hung server never holds the boot.
 * Steps that could not be sent (server not known yet, or unreachable) ride along with the next report.
 */
import { BOOT_STEPS_PATH, type BootStep, type BootStepStatus, type BootStepsReport } from "../src/api/agent.ts";
import type { Clock } from "../src/clock.ts";

export interface ReportTarget {
  server: string;
  mac: string | undefined;
}

export interface ReporterOptions {
  /** Where to send, once known (the kernel command line is read by a step). */
  target(): ReportTarget | undefined;
  clock: Clock;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs?: number;
  /** A console line, printed once, the first time the server cannot be reached. */
  warn?: (line: string) => void;
}

export interface Reporter {
  report(step: string, status: BootStepStatus, detail: string): Promise<void>;
  /** POST a JSON body to another node endpoint (bounded like a report); throws with the server's message. */
  post(path: string, body: unknown): Promise<void>;
  /** Steps not acknowledged by the server yet. */
  pending(): readonly BootStep[];
}

export const REPORT_TIMEOUT_MS = 1500;
/** Steps kept for a later attempt at most (a boot has about ten). */
const MAX_PENDING = 64;

/** `http://host/…`, bracketing a bare IPv6 address. */
export function reportUrl(server: string, path: string = BOOT_STEPS_PATH): string {
  const host = server.split(":").length > 2 && !server.startsWith("[") ? `[${server}]` : server;
  return `http://${host}${path}`;
}

export function createReporter(opts: ReporterOptions): Reporter {
  const queue: BootStep[] = [];
  const doFetch = opts.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const timeoutMs = opts.timeoutMs ?? REPORT_TIMEOUT_MS;
  let warned = false;

  /** POST `body` as JSON to a node endpoint of the server, within the timeout; the reply's status and text. */
  const postJson = async (server: string, path: string, body: unknown): Promise<{ ok: boolean; status: number; text: string }> => {
    const res = await doFetch(reportUrl(server, path), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: res.ok, status: res.status, text: await res.text() };
  };

  const send = async (t: ReportTarget): Promise<void> => {
    const batch = queue.slice();
    const body: BootStepsReport = { mac: t.mac ?? null, steps: batch };
    const r = await postJson(t.server, BOOT_STEPS_PATH, body);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    queue.splice(0, batch.length);
  };

  return {
    pending: () => queue,
    async post(path, body) {
      const t = opts.target();
      if (t === undefined) throw new Error("the server's address is not known");
      const r = await postJson(t.server, path, body);
      if (r.ok) return;
      let message = `HTTP ${r.status}`;
      try {
        message = (JSON.parse(r.text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not the server's envelope: the status says enough
      }
      throw new Error(message);
    },
    async report(step, status, detail) {
      queue.push({ step, status, detail: detail.slice(0, 2000), time: opts.clock.nowUs() });
      if (queue.length > MAX_PENDING) queue.splice(0, queue.length - MAX_PENDING);
      const t = opts.target();
      if (t === undefined) return;
      try {
        await send(t);
      } catch (e) {
        if (!warned) opts.warn?.(`walt-init: could not report to the server (${e instanceof Error ? e.message : String(e)}); booting on`);
        warned = true;
      }
    },
  };
}

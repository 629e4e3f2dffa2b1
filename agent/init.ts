/**
 * `walt agent init`: walt-init as PID 1 for the boot phase. Runs the boot steps in order with WALT's console
 * banners, reports each one to the server, then hands over to the image's init. Every failure, including one no
 * step caught, goes through `panicReboot`: console message, report, delay, reboot.
 */
import type { Clock } from "../src/clock.ts";
import { initialState } from "./context.ts";
import { panicReboot } from "./panic.ts";
import { createReporter, type ReporterOptions } from "./report.ts";
import { execInit, HANDOVER_STEP } from "./steps/handover.ts";
import { BOOT_STEPS } from "./steps/index.ts";
import { reasonOf, type Step, type StepContext, type StepResult } from "./steps/step.ts";
import type { Sys } from "./sys/sys.ts";

export interface InitDeps {
  sys: Sys;
  /** Console lines. */
  out(line: string): void;
  /** Usage errors (stderr). */
  err(line: string): void;
  pid: number;
  args: string[];
  /** Environment of the image's init. */
  env: Record<string, string>;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  fetch?: ReporterOptions["fetch"];
  reportTimeoutMs?: number;
  steps?: readonly Step[];
  /** Registers the last-resort handler (main.ts: process `uncaughtException` and `unhandledRejection`). */
  onUncaught?(handler: (e: unknown) => Promise<number>): void;
}

export const NOT_PID1_OK = "--not-pid1-ok";
export const NOT_PID1_MESSAGE =
  "walt agent init must run as PID 1 (as the kernel's init, or started by WALT's initramfs).\n" +
  `Hint: walt agent init ${NOT_PID1_OK} runs it anyway; it mounts filesystems and reboots on failure.`;

/** WALT's step banner: `*** <label padded to 60> ***`. */
export const banner = (label: string): string => `*** ${label.padEnd(60)} ***`;

export async function runInit(d: InitDeps): Promise<number> {
  const unknown = d.args.find((a) => a !== NOT_PID1_OK);
  if (unknown !== undefined) {
    d.err(`walt agent init: unknown option '${unknown}'.\nHint: walt agent --help`);
    return 2;
  }
  if (d.pid !== 1 && !d.args.includes(NOT_PID1_OK)) {
    d.err(NOT_PID1_MESSAGE);
    return 1;
  }
  const state = initialState();
  const reporter = createReporter({
    target: () => (state.config.server === undefined ? undefined : { server: state.config.server, mac: state.config.mac }),
    clock: d.clock,
    warn: d.out,
    ...(d.fetch === undefined ? {} : { fetch: d.fetch }),
    ...(d.reportTimeoutMs === undefined ? {} : { timeoutMs: d.reportTimeoutMs }),
  });
  const ctx: StepContext = { sys: d.sys, out: d.out, state, env: d.env, report: (s, st, det) => reporter.report(s, st, det), post: (p, b) => reporter.post(p, b) };

  let current = "walt-init";
  let panicking: Promise<number> | undefined;
  const fail = (step: string, e: unknown): Promise<number> =>
    (panicking ??= panicReboot(
      { sys: d.sys, out: d.out, sleep: d.sleep, report: ctx.report, delayS: state.config.panicDelayS, debug: state.config.debug },
      step,
      reasonOf(e),
    ));
  d.onUncaught?.((e) => fail(current, e));

  d.out("walt-init: Starting up.");
  for (const step of d.steps ?? BOOT_STEPS) {
    current = step.name;
    d.out(banner(step.label));
    let r: StepResult;
    try {
      r = await step.run(ctx);
    } catch (e) {
      return fail(step.name, e);
    }
    d.out(`walt-init: ${step.name}: ${r.status}, ${r.detail}`);
    await ctx.report(step.name, r.status, r.detail);
  }
  current = HANDOVER_STEP;
  try {
    await execInit(ctx);
  } catch (e) {
    return fail(HANDOVER_STEP, e);
  }
  return 0;
}

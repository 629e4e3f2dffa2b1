/**
 * What a boot step is (model-codebases §4.10): a name (reported to the server), a label (the console banner) and
 * `run`. A step returns `ok` or `skipped` with a detail, or `failed` when the failure does not stop the boot
 * (`/persist` missing, no swap); it throws when the boot cannot go on, and walt-init then reboots.
 */
import type { BootStepStatus } from "../../src/api/agent.ts";
import { WaltError } from "../../src/errors.ts";
import type { BootState } from "../context.ts";
import type { Sys } from "../sys/sys.ts";

export interface StepResult {
  status: BootStepStatus;
  detail: string;
}

export interface StepContext {
  sys: Sys;
  /** One line on the console. */
  out(line: string): void;
  /** What earlier steps found and did; steps update it. */
  state: BootState;
  /** Environment given to the image's init. */
  env: Record<string, string>;
  /** Report a step to the server now (best effort, bounded in time). */
  report(step: string, status: BootStepStatus, detail: string): Promise<void>;
  /** POST JSON to a node endpoint of the server (src/api/agent.ts); throws with the reason. */
  post(path: string, body: unknown): Promise<void>;
}

export interface Step {
  readonly name: string;
  readonly label: string;
  run(ctx: StepContext): Promise<StepResult>;
}

/** A reason the boot cannot go on. */
export class StepFailure extends WaltError {
  constructor(message: string) {
    super("EXTERNAL", message);
    this.name = "StepFailure";
  }
}

export const ok = (detail: string): StepResult => ({ status: "ok", detail });
export const skipped = (detail: string): StepResult => ({ status: "skipped", detail });
export const failed = (detail: string): StepResult => ({ status: "failed", detail });

/** The message of anything thrown. */
export const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

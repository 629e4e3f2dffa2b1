/**
 * The hand-over (WALT §3.8 steps 4-5). Step `switch-root`: when the final root is not the current one (standalone
 * or hybrid boot), pivot_root into it, carry /dev /proc /sys /run over from the old root and detach the old root;
 * behind WALT's initramfs in network mode there is nothing to switch. Then `execInit` reports and replaces this
 * process with the image's init (`process.execve`, argv[0] = the init path), ending the agent's time as PID 1.
 */
import { CARRIED_MOUNTS, PUT_OLD } from "../paths.ts";
import { ok, StepFailure, type Step, type StepContext } from "./step.ts";

export const switchRootStep: Step = {
  name: "switch-root",
  label: "Switching to the final filesystem",
  async run({ sys, state }) {
    const root = state.root;
    const init = state.config.init;
    // Checked before switching: failing now leaves a machine that can still reboot cleanly.
    if (!(await sys.exists(root === "/" ? init : `${root}${init}`))) throw new StepFailure(`the image has no ${init}`);
    if (root === "/") return ok("the final root is the current one");
    const putOld = `${root}/${PUT_OLD}`;
    if (!(await sys.exists(putOld))) await sys.mkdir(putOld);
    await sys.pivotRoot(root, putOld);
    const old = `/${PUT_OLD}`;
    for (const m of CARRIED_MOUNTS) await sys.mount(`${old}${m}`, m, "none", "move");
    // Lazily: the agent's own binary still lives in the old root until execve.
    await sys.umount(old, { lazy: true }).catch(() => undefined);
    state.root = "/";
    return ok(`switched to ${root}`);
  },
};

export const HANDOVER_STEP = "hand-over";
export const HANDOVER_MESSAGE = "walt-init: Handing over to WALT image init.";

/** Report, then exec the image's init. Returns only when execve is faked; throws when it fails. */
export async function execInit({ sys, state, env, out, report }: StepContext): Promise<void> {
  const init = state.config.init;
  out(HANDOVER_MESSAGE);
  await report(HANDOVER_STEP, "ok", `exec ${init}`);
  sys.execve(init, [init], env);
}

/**
 * Step `overlay`: the final root filesystem (WALT §3.8 step 3, §3.9).
 * - network mode: an overlay with the read-only image as lower layer and a tmpfs as upper, so writes live in RAM
 *   and vanish at reboot. Behind WALT's initramfs it is the current root already.
 * - hybrid modes: an overlay on the local partition, lower = the image copy, upper = `diff` (work is wiped each
 *   boot; volatile also wipes `diff` and `local`, persistent only `diff/tmp`), and `local` bound on /local.
 * The chosen mode is appended to /run/walt/boot.env (`boot_mode=`, as WALT appends it to walt-env).
 */
import type { BootState } from "../context.ts";
import { BOOT_ENV, NEW_ROOT, RW } from "../paths.ts";
import type { Sys } from "../sys/sys.ts";
import { ok, type Step } from "./step.ts";

const overlayOptions = (lower: string, upper: string, work: string): string =>
  `lowerdir=${lower},upperdir=${upper},workdir=${work}`;

async function ramOverlay(sys: Sys, state: BootState): Promise<string> {
  if (state.layout === "initramfs") {
    state.root = "/";
    state.rwDir = state.bootEnv["rw"] || RW;
    return `RAM overlay set up by the initramfs (tmpfs ${state.rwDir} over ${state.lower})`;
  }
  await sys.modprobe("overlay");
  await sys.mkdir(RW);
  await sys.mount("tmpfs", RW, "tmpfs", `size=${state.config.rwsize},mode=0755`);
  await sys.mkdir(`${RW}/upper`);
  await sys.mkdir(`${RW}/work`);
  await sys.mkdir(NEW_ROOT);
  await sys.mount("overlay", NEW_ROOT, "overlay", overlayOptions(state.lower, `${RW}/upper`, `${RW}/work`));
  state.root = NEW_ROOT;
  state.rwDir = RW;
  return `RAM overlay (tmpfs ${RW}, size ${state.config.rwsize}) over ${state.lower}`;
}

async function hybridOverlay(sys: Sys, state: BootState, dir: string): Promise<string> {
  await sys.modprobe("overlay");
  await sys.remove(`${dir}/work`);
  if (state.mode === "hybrid-volatile") {
    await sys.remove(`${dir}/diff`);
    await sys.remove(`${dir}/local`);
  } else {
    await sys.remove(`${dir}/diff/tmp`);
  }
  for (const d of ["diff", "work", "local"]) await sys.mkdir(`${dir}/${d}`);
  await sys.mkdir(NEW_ROOT);
  await sys.mount("overlay", NEW_ROOT, "overlay", overlayOptions(`${dir}/image`, `${dir}/diff`, `${dir}/work`));
  state.root = NEW_ROOT;
  delete state.rwDir;
  // An image that ships its own /local keeps it (WALT leaves a README.nonlocal to say so).
  if ((await sys.listDir(`${NEW_ROOT}/local`)).length > 0) {
    await sys.writeFile(`${dir}/local/README.nonlocal`, "This image has its own /local: this directory is not mounted there.\n");
    return `${state.mode} overlay on ${dir}; the image's own /local is kept`;
  }
  await sys.mkdir(`${NEW_ROOT}/local`);
  await sys.mount(`${dir}/local`, `${NEW_ROOT}/local`, "none", "bind");
  return `${state.mode} overlay on ${dir}, ${dir}/local on /local`;
}

/** Append `boot_mode='<mode>'` to boot.env (created when the agent runs standalone). */
async function recordMode(sys: Sys, state: BootState): Promise<void> {
  const before = (await sys.exists(BOOT_ENV)) ? await sys.readFile(BOOT_ENV) : "";
  const kept = before.split("\n").filter((l) => l !== "" && !l.startsWith("boot_mode="));
  if (state.layout === "standalone" && before === "") {
    kept.push(`server='${state.config.server ?? ""}'`, `mac='${state.config.mac ?? ""}'`, `lower='${state.lower}'`);
  }
  kept.push(`boot_mode='${state.mode}'`);
  await sys.writeFile(BOOT_ENV, kept.join("\n") + "\n");
}

export const overlayStep: Step = {
  name: "overlay",
  label: "Mounting the final filesystem",
  async run({ sys, state }) {
    const detail = state.hybrid === undefined ? await ramOverlay(sys, state) : await hybridOverlay(sys, state, state.hybrid.dir);
    await recordMode(sys, state);
    return ok(detail);
  },
};

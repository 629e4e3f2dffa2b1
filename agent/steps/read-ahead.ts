/**
 * Step `read-ahead`: the image root gets its NFS read-around back before the image's own init runs. WALT's
 * initramfs lowers `read_ahead_kb` of the image root's NFS mount while the agent starts: the kernel reads that
 * much around each page a program faults in, and the Bun-compiled agent (~100 MB) touches ~14 MB scattered over
 * its file, so the default 128 KB read-around made it cost ~52 MB on walt-net per boot, 32 KB ~36 MB
 * (bench/boot.ts, busybox image). The initramfs records the mount's bdi and the default in boot.env; without
 * them (standalone boot, another initramfs) there is nothing to restore.
 */
import { ok, skipped, type Step } from "./step.ts";

export const readAheadStep: Step = {
  name: "read-ahead",
  label: "Restoring the image root's read-ahead",
  async run({ sys, state }) {
    const bdi = state.bootEnv["lower_bdi"] ?? "";
    const kb = state.bootEnv["lower_read_ahead_kb"] ?? "";
    if (bdi === "" || kb === "") return skipped("the initramfs left the read-ahead as it was");
    // boot.env is ours, but a path built from it must stay under /sys/class/bdi.
    if (!/^\d+:\d+$/.test(bdi) || !/^\d+$/.test(kb)) return skipped(`unexpected lower_bdi='${bdi}' lower_read_ahead_kb='${kb}' in boot.env`);
    await sys.writeFile(`/sys/class/bdi/${bdi}/read_ahead_kb`, kb);
    return ok(`read_ahead_kb of ${state.lower} back to ${kb}`);
  },
};

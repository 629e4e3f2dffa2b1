import { describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/helpers/tmp.ts";
import { probeAccel } from "./kvm-probe.ts";

/** A stand-in for qemu: a shell script with the given body. */
function fakeQemu(dir: string, body: string): string {
  const path = join(dir, "qemu");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("KVM probe", () => {
  test("a guest kernel reaching its panic proves the accelerator", async () => {
    using t = tempDir();
    const r = await probeAccel("/k", { binary: fakeQemu(t.path, 'echo "[    0.5] Kernel panic - not syncing: VFS"; exec sleep 30'), kvmDevice: "/dev/null" });
    expect(r.ok).toBe(true);
    expect(r.ms).toBeLessThan(10_000);
  });

  test("qemu aborting (as with -cpu host here), a silent hang, or no /dev/kvm mean TCG", async () => {
    using t = tempDir();
    const abort = await probeAccel("/k", { binary: fakeQemu(t.path, 'echo "kvm_buf_set_msrs: Assertion failed" >&2; exit 134'), kvmDevice: "/dev/null" });
    expect(abort).toMatchObject({ ok: false, reason: "qemu exited early under kvm: kvm_buf_set_msrs: Assertion failed" });
    const hang = await probeAccel("/k", { binary: fakeQemu(t.path, "exec sleep 30"), kvmDevice: "/dev/null", timeoutMs: 300 });
    expect(hang).toMatchObject({ ok: false, reason: "no guest progress under kvm within the deadline" });
    expect(await probeAccel("/k", { kvmDevice: join(t.path, "no-kvm") })).toMatchObject({ ok: false, reason: "no /dev/kvm" });
  });
});

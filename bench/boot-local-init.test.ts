import { describe, expect, test } from "bun:test";
import { INITRAMFS_SCRIPTS } from "../server/images/defaults/initramfs.ts";
import { localRootCmdline, localRootInit } from "./boot-local-init.ts";

describe("the local-disk /init of bench/boot-local.ts", () => {
  const init = localRootInit(INITRAMFS_SCRIPTS.init);

  test("mounts the local root instead of DHCP and NFS, and keeps the rest of WALT's /init", () => {
    expect(init).toContain('mount -t ext4 -o ro "$W_localroot" /run/walt/lower');
    expect(init).not.toContain("udhcpc");
    expect(init).not.toContain("mount -t nfs4 -o \"$NFS_RO\"");
    for (const kept of ["insmod", 'hostname "walt-', "mount -t overlay", "> /run/walt/boot.env", "agent init"]) expect(init).toContain(kept);
  });

  test("is valid shell (sh -n)", () => {
    const r = Bun.spawnSync(["sh", "-n"], { stdin: new TextEncoder().encode(init), stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });

  test("refuses an /init whose network section it does not know", () => {
    expect(() => localRootInit("#!/bin/sh\nexec /sbin/init\n")).toThrow("update the bench");
  });

  test("the command line gets walt.localroot and loses walt.persist", () => {
    expect(localRootCmdline("console=ttyS0 walt.root=/x walt.persist=/y walt.mac=aa", "/dev/sda")).toBe("console=ttyS0 walt.root=/x walt.mac=aa walt.localroot=/dev/sda");
  });
});

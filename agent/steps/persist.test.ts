import { describe, expect, test } from "bun:test";
import type { AgentConfig } from "../context.ts";
import { FakeSys } from "../sys/fake.ts";
import { fakeContext, PERSIST, SERVER } from "../testing.ts";
import { PERSIST_MESSAGE, persistStep } from "./persist.ts";

const config: AgentConfig = { ...fakeContext(new FakeSys()).state.config, server: SERVER, persist: PERSIST };

describe("persist step", () => {
  test("mounts the node's persist directory read-write over NFSv4 in the final root", async () => {
    const sys = new FakeSys();
    const r = await persistStep.run(fakeContext(sys, { config, root: "/run/walt/root" }));
    expect(r).toEqual({ status: "ok", detail: `${SERVER}:${PERSIST} on /persist` });
    expect(sys.calls).toEqual([
      "mkdir -p /run/walt/root/persist",
      `mount -t nfs4 -o rw,vers=4.1,addr=${SERVER} ${SERVER}:${PERSIST} /run/walt/root/persist`,
    ]);
  });

  test("a failed mount is not fatal: WALT's message on the console, a failed report, and the boot goes on", async () => {
    const sys = new FakeSys().fail("mount -t nfs4", "access denied by server");
    const ctx = fakeContext(sys, { config });
    const r = await persistStep.run(ctx);
    expect(r.status).toBe("failed");
    expect(r.detail).toBe(`${PERSIST_MESSAGE}: mount -t nfs4 -o rw,vers=4.1,addr=${SERVER} ${SERVER}:${PERSIST} /persist: access denied by server`);
    expect(ctx.lines).toEqual(["/persist was not mounted (cf. walt node config)"]);
  });

  test("without walt.persist= it is skipped with the same message", async () => {
    const noPersist = { ...config };
    delete noPersist.persist;
    const ctx = fakeContext(new FakeSys(), { config: noPersist });
    expect(await persistStep.run(ctx)).toEqual({ status: "skipped", detail: `${PERSIST_MESSAGE}: no walt.persist= on the kernel command line` });
    expect(ctx.lines).toEqual([PERSIST_MESSAGE]);
  });

  test("what the initramfs mounted is kept, or moved into a hybrid root", async () => {
    const inPlace = new FakeSys();
    expect(await persistStep.run(fakeContext(inPlace, { config, bootEnv: { persist_mounted: "yes" } }))).toEqual({ status: "ok", detail: "mounted by the initramfs" });
    expect(inPlace.calls).toEqual([]);
    const moved = new FakeSys();
    const ctx = fakeContext(moved, { config, bootEnv: { persist_mounted: "yes" }, root: "/run/walt/root", mode: "hybrid-volatile" });
    expect((await persistStep.run(ctx)).detail).toBe("mounted by the initramfs, moved to the hybrid-volatile root");
    expect(moved.calls).toEqual(["mkdir -p /run/walt/root/persist", "mount --move /persist /run/walt/root/persist"]);
  });
});

/**
 * Step `persist` (WALT §3.8 step 2): the node's `/persist` directory, read-write over NFS. Never fatal: without
 * it the node boots and says so with WALT's message. Behind WALT's initramfs it is mounted already (moved into a
 * hybrid root if there is one); the agent mounts it when the initramfs could not.
 */
import { failed, ok, reasonOf, skipped, type Step } from "./step.ts";

export const PERSIST_MESSAGE = "/persist was not mounted (cf. walt node config)";

export const persistStep: Step = {
  name: "persist",
  label: "Mounting /persist",
  async run({ sys, state, out }) {
    const target = state.root === "/" ? "/persist" : `${state.root}/persist`;
    if (state.bootEnv["persist_mounted"] === "yes") {
      if (state.root === "/") return ok("mounted by the initramfs");
      await sys.mkdir(target);
      await sys.mount("/persist", target, "none", "move");
      return ok(`mounted by the initramfs, moved to the ${state.mode} root`);
    }
    const { server, persist } = state.config;
    if (persist === undefined || server === undefined) {
      out(PERSIST_MESSAGE);
      return skipped(`${PERSIST_MESSAGE}: no walt.persist= on the kernel command line`);
    }
    try {
      await sys.mkdir(target);
      await sys.mount(`${server}:${persist}`, target, "nfs4", `rw,vers=4.1,addr=${server}`);
    } catch (e) {
      out(PERSIST_MESSAGE);
      return failed(`${PERSIST_MESSAGE}: ${reasonOf(e)}`);
    }
    return ok(`${server}:${persist} on /persist`);
  },
};

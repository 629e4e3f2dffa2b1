/**
 * Step `net-service` (WALT §3.8 walt-init-finalfs: "starts background jobs: walt-net-service…"): start the node's
 * network service, `walt agent service` (TCP 12346), detached in its own session so that it survives the execve
 * of the image's init. Without it the server cannot soft-reboot the node (a vnode is then hard-rebooted), so a
 * failure is reported and the boot goes on.
 */
import { failed, ok, reasonOf, type Step } from "./step.ts";

/** Where WALT injects the agent into every image (docs/netboot.md, served image roots). */
export const AGENT_BINARY = "/bin/walt";

export const netServiceStep: Step = {
  name: "net-service",
  label: "Starting the node's network service",
  async run({ sys, state }) {
    // Runs after switch-root: the final root is `/`, and its /bin/walt is the server-injected agent.
    if (!(await sys.exists(AGENT_BINARY))) return failed(`no ${AGENT_BINARY} in the image: no soft reboots`);
    try {
      const pid = await sys.spawnDetached([AGENT_BINARY, "agent", "service", "--boot-mode", state.mode]);
      return ok(`walt agent service started (pid ${pid}), TCP port 12346`);
    } catch (e) {
      return failed(`cannot start walt agent service: ${reasonOf(e)}`);
    }
  },
};

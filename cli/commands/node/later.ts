/**
 * `walt node` sub-commands whose server side comes in later issues: declared with WALT's exact help
 * (name, ordering, description, arguments, switches) so `--help`, the category list and completion are
 * complete; running them says the feature is not available yet (exit 1).
 */
import type { CommandDef } from "../../framework/types.ts";
import { notYet } from "../not-yet.ts";

export const nodeLater: CommandDef[] = [
  notYet({ name: "shell", ordering: 5, description: "run an interactive shell connected to the node", args: [{ name: "node_name" }] }, "node shells (walt node shell)"),
  notYet(
    {
      name: "run",
      ordering: 6,
      description: "run a command on a (set of) node(s)",
      args: [{ name: "node_set" }, { name: "cmdargs", variadic: true }],
      switches: [{ names: ["--term"], help: "run command in a pseudo-terminal" }],
      passThrough: true,
    },
    "remote commands (walt node run)",
  ),
  notYet(
    {
      name: "cp",
      ordering: 7,
      description: "transfer files/dirs to or from a node",
      args: [{ name: "src" }, { name: "dst" }],
      usage: "walt node cp <local-path> <node>:<path>\nwalt node cp <node>:<path> <local-path>\nwalt node cp <node>:<path> booted-image",
    },
    "file transfers with nodes (walt node cp)",
  ),
  notYet(
    { name: "save", ordering: 8, description: "Save the current state of a node as a new WalT image", args: [{ name: "node_name" }, { name: "image_name" }] },
    "saving node states as images (walt node save)",
  ),
  notYet({ name: "ping", ordering: 14, description: "check that a node is reachable on WalT network", args: [{ name: "node_name" }] }, "ping (walt node ping)"),
  notYet({ name: "console", ordering: 15, description: "connect to the console of a WalT node", args: [{ name: "node_name" }] }, "node consoles (walt node console)"),
  notYet(
    {
      name: "blink",
      ordering: 16,
      description: "make a node blink for a given number of seconds",
      args: [{ name: "node_name" }, { name: "duration", optional: true, defaultText: "60" }],
    },
    "node blinking (walt node blink)",
  ),
  notYet(
    {
      name: "expose",
      ordering: 18,
      description: "expose a network port of a node on the local machine",
      args: [{ name: "node_name" }, { name: "node_port" }, { name: "local_port" }],
    },
    "port forwarding (walt node expose)",
  ),
];

/**
 * `walt device` sub-commands whose server side comes in later issues, declared with WALT's exact help
 * so `--help`, the category list and completion are complete; running them fails with a clear message.
 */
import type { CommandDef } from "../../framework/types.ts";
import { notYet } from "../not-yet.ts";

export const deviceLater: CommandDef[] = [
  notYet(
    {
      name: "shell",
      ordering: 2,
      description: "run an interactive ssh session to a device",
      args: [{ name: "device_name" }],
      switches: [{ names: ["--user"], metavar: "USER:str", type: "str", help: "SSH user name" }],
    },
    "device shells (walt device shell)",
  ),
  notYet(
    {
      name: "rescan",
      ordering: 4,
      description: "rescan the network devices involved in the platform",
      args: [{ name: "device_set", optional: true, defaultText: "server,explorable-switches" }],
    },
    "network topology discovery (walt device rescan)",
  ),
  notYet({ name: "ping", ordering: 7, description: "check that a device is reachable on WalT network", args: [{ name: "device_name" }] }, "ping (walt device ping)"),
  notYet(
    {
      name: "expose",
      ordering: 9,
      description: "expose a network port of a device on the local machine",
      args: [{ name: "device_name" }, { name: "device_port" }, { name: "local_port" }],
    },
    "port forwarding (walt device expose)",
  ),
  notYet(
    {
      name: "port-config",
      ordering: 10,
      description: "view and edit switch port config and names",
      args: [{ name: "switch_name" }, { name: "port_id", optional: true, defaultText: "None" }, { name: "configuration", variadic: true }],
    },
    "switch port configuration (walt device port-config)",
  ),
];

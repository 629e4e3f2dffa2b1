/**
 * `walt device --help` and `walt device <sub> --help` equal WALT's frozen outputs (test/syntax/walt-device*.out
 * of walt-python-packages), compared like WALT's test: ignoring whitespace and the Version line.
 */
import { expect, test } from "bun:test";
import { describeFrozenHelp, helpOutput } from "../helpers/frozen-help.ts";
import { startTestServer } from "../helpers/server.ts";

/** WALT's frozen help texts, by sub-command ("" = the category). */
const FROZEN: Record<string, string> = {
  "config": `get or set devices configuration

Usage:
    walt device config [SWITCHES] device_set configuration...

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "forget": `let the WalT system forget about an obsolete device

Usage:
    walt device forget [SWITCHES] device_name

Meta-switches:
    -h, --help      Prints this help message and quits

Switches:
    --force         do it, even if related data will be lost
`,
  "ping": `check that a device is reachable on WalT network

Usage:
    walt device ping [SWITCHES] device_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "port-config": `view and edit switch port config and names

Usage:
    walt device port-config [SWITCHES] switch_name [port_id=None] configuration...

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "rename": `rename a device

Usage:
    walt device rename [SWITCHES] old_name new_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "rescan": `rescan the network devices involved in the platform

Usage:
    walt device rescan [SWITCHES] [device_set=server,explorable-switches]

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "shell": `run an interactive ssh session to a device

Usage:
    walt device shell [SWITCHES] device_name

Meta-switches:
    -h, --help           Prints this help message and quits

Switches:
    --user USER:str      SSH user name
`,
  "show": `print details about devices involved in the platform

Usage:
    walt device show [SWITCHES] 

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "tree": `print the network structure of the platform

Usage:
    walt device tree [SWITCHES] 

Meta-switches:
    -h, --help      Prints this help message and quits

Switches:
    --all           show all devices detected
`,
  "": `
WalT platform control tool
-> management of WalT platform devices

Usage:
    walt device SUBCOMMAND [args...]

Help about a given subcommand:
    walt device SUBCOMMAND --help

Help about WalT in general:
    walt help show

Sub-commands:
    show         print details about devices involved in the platform
    shell        run an interactive ssh session to a device
    tree         print the network structure of the platform
    rescan       rescan the network devices involved in the platform
    rename       rename a device
    config       get or set devices configuration
    ping         check that a device is reachable on WalT network
    forget       let the WalT system forget about an obsolete device
    expose       expose a network port of a device on the local machine
    port-config  view and edit switch port config and names
`,
};

describeFrozenHelp("device", FROZEN, () => {
  test("expose (no frozen output in WALT) takes a device name and two ports", async () => {
    expect(await helpOutput(["device", "expose", "--help"])).toContain("walt device expose [SWITCHES] device_name device_port local_port\n");
  });

  test("a sub-command not available yet says so and exits 1", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["device", "rescan"])).toEqual({
      code: 1,
      out: "",
      err: "Sorry, network topology discovery (walt device rescan) is not available on this WalT server version yet.\nHint: see `walt help show help-intro` for what this version provides\n",
    });
  });
});

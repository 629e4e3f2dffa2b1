/**
 * `walt node --help` and `walt node <sub> --help` equal WALT's frozen outputs (test/syntax/walt-node*.out
 * of walt-python-packages), compared like WALT's test: ignoring whitespace and the Version line.
 * `node show` adds, on purpose, an optional node set and `--details` (the boot timeline).
 * Sub-commands whose server side is not built yet exist with their help and fail clearly when run.
 */
import { expect, test } from "bun:test";
import { describeFrozenHelp, helpOutput } from "../helpers/frozen-help.ts";
import { startTestServer } from "../helpers/server.ts";

/** WALT's frozen help texts, by sub-command ("" = the category). */
const FROZEN: Record<string, string> = {
  "blink": `make a node blink for a given number of seconds

Usage:
    walt node blink [SWITCHES] node_name [duration=60]

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "boot": `let a (set of) node(s) boot an operating system image

Usage:
    walt node boot [SWITCHES] node_set image_name_or_default

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "config": `get or set nodes configuration

Usage:
    walt node config [SWITCHES] node_set configuration...

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "create": `create a virtual WalT node

Usage:
    walt node create [SWITCHES] node_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "deploy": `alias to 'boot' subcommand

Usage:
    walt node deploy [SWITCHES] node_set image_name_or_default

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "expose": `expose a network port of a node on the local machine

Usage:
    walt node expose [SWITCHES] node_name node_port local_port

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "ping": `check that a node is reachable on WalT network

Usage:
    walt node ping [SWITCHES] node_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "reboot": `reboot a (set of) node(s)

Usage:
    walt node reboot [SWITCHES] node_set

Meta-switches:
    -h, --help      Prints this help message and quits

Switches:
    --hard          allow PoE-reboots only (power-cycle)
`,
  "remove": `remove a virtual WalT node

Usage:
    walt node remove [SWITCHES] node_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "rename": `rename a WalT node

Usage:
    walt node rename [SWITCHES] old_node_name new_node_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "run": `run a command on a (set of) node(s)

Usage:
    walt node run [SWITCHES] node_set cmdargs...

Meta-switches:
    -h, --help      Prints this help message and quits

Switches:
    --term          run command in a pseudo-terminal
`,
  "save": `Save the current state of a node as a new WalT image

Usage:
    walt node save [SWITCHES] node_name image_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "shell": `run an interactive shell connected to the node

Usage:
    walt node shell [SWITCHES] node_name

Meta-switches:
    -h, --help      Prints this help message and quits
`,
  "show": `show WalT nodes

Usage:
    walt node show [SWITCHES] 

Meta-switches:
    -h, --help        Prints this help message and quits

Switches:
    --all             show nodes used by other users too
    --names-only      list node names only
`,
  "wait": `wait for bootup notification of a node (or set of nodes)

Usage:
    walt node wait [SWITCHES] node_set

Meta-switches:
    -h, --help                 Prints this help message and quits

Switches:
    --timeout SECONDS:int      stop if still waiting after this number of seconds; the default is -1
`,
  "": `
WalT platform control tool
-> management of WalT nodes

Usage:
    walt node SUBCOMMAND [args...]

Help about a given subcommand:
    walt node SUBCOMMAND --help

Help about WalT in general:
    walt help show

Sub-commands:
    show     show WalT nodes
    acquire  get ownership of a (set of) node(s)
    release  release ownership of a (set of) node(s)
    boot     let a (set of) node(s) boot an operating system image
    shell    run an interactive shell connected to the node
    run      run a command on a (set of) node(s)
    cp       transfer files/dirs to or from a node
    save     Save the current state of a node as a new WalT image
    reboot   reboot a (set of) node(s)
    config   get or set nodes configuration
    create   create a virtual WalT node
    remove   remove a virtual WalT node
    rename   rename a WalT node
    ping     check that a node is reachable on WalT network
    console  connect to the console of a WalT node
    blink    make a node blink for a given number of seconds
    wait     wait for bootup notification of a node (or set of nodes)
    expose   expose a network port of a node on the local machine
    deploy   alias to 'boot' subcommand
`,
};

describeFrozenHelp("node", FROZEN, () => {
  test("acquire, release and console (no frozen output in WALT) take one node set or node name", async () => {
    expect(await helpOutput(["node", "acquire", "--help"])).toContain("walt node acquire [SWITCHES] node_set\n");
    expect(await helpOutput(["node", "release", "--help"])).toContain("walt node release [SWITCHES] node_set\n");
    expect(await helpOutput(["node", "console", "--help"])).toContain("walt node console [SWITCHES] node_name\n");
  });

  test("node cp --help shows WALT's three usage lines", async () => {
    const out = await helpOutput(["node", "cp", "--help"]);
    expect(out).toContain("Usage:\n    walt node cp <local-path> <node>:<path>\n    walt node cp <node>:<path> <local-path>\n    walt node cp <node>:<path> booted-image\n");
    expect(out).not.toContain("[SWITCHES]");
  });

  test("a sub-command not available yet says so and exits 1", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["node", "ping", "vn1"])).toEqual({
      code: 1,
      out: "",
      err: "Sorry, ping (walt node ping) is not available on this WalT server version yet.\nHint: see `walt help show help-intro` for what this version provides\n",
    });
    const shell = await s.cli("alice", ["node", "shell", "vn1"]);
    expect(shell.code).toBe(1);
    expect(shell.err).toStartWith("Sorry, node shells (walt node shell) is not available");
  });
}, { show: ["[node_set]", "--details       also show the latest boot of each node (timeline, bytes served, what it waits for)"] });

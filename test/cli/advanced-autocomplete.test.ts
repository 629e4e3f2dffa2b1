/**
 * `walt advanced dump-bash-autocomplete | dump-zsh-autocomplete` (WALT §1.11): valid scripts that ask
 * `walt advanced autocomplete-helper` for candidates, names coming from the server.
 * The scripts are checked with `bash -n` / `zsh -n`, then run for real against a server over HTTP.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const BUN = process.execPath;
const VN1 = "52:54:00:00:00:01";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: VN1, ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/pc-x86-64-default:latest" });
  await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

async function script(s: TestServer, shell: "bash" | "zsh"): Promise<string> {
  const r = await s.cli("alice", ["advanced", `dump-${shell}-autocomplete`]);
  expect(r.code).toBe(0);
  expect(r.err).toBe("");
  const path = join(s.dir, `walt.${shell}`);
  writeFileSync(path, r.out);
  return path;
}

/** Run `code` in `shell` with the script sourced and `walt` bound to this source tree, as alice over real HTTP. */
async function inShell(s: TestServer, shell: "bash" | "zsh", code: string): Promise<string> {
  const http = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => s.app.fetch(req) });
  try {
    const config = join(s.dir, "client-http.conf");
    writeFileSync(config, readFileSync(await s.user("alice"), "utf8").replace(/^server: .*$/m, `server: "http://127.0.0.1:${http.port}"`));
    const path = await script(s, shell);
    const prelude = shell === "zsh" ? `compdef() { : }\ncompadd() { print -r -- "ADD $*" }\n` : "";
    const proc = Bun.spawn([shell, "-c", `${prelude}source '${path}'\nwalt() { "$WALT_BUN" "$WALT_MAIN" "$@"; }\n${code}`], {
      env: { PATH: process.env["PATH"] ?? "", HOME: s.dir, WALT_CONFIG: config, WALT_BUN: BUN, WALT_MAIN: MAIN },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, rc] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect({ rc, err }).toEqual({ rc: 0, err: "" });
    return out;
  } finally {
    await http.stop(true);
  }
}

/** Bash's view of `line` (cursor at the end): COMP_WORDS split at blanks, `:` and `=` as bash does. */
function bashCompletion(line: string): string {
  const words = line.split(" ").flatMap((w) => w.split(/(?<=[:=])|(?=[:=])/)).filter((w) => w !== "");
  if (line.endsWith(" ")) words.push("");
  const quoted = words.map((w) => `'${w}'`).join(" ");
  return `COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}\n_walt_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
}

describe("shell completion scripts", () => {
  test("the bash script is valid bash", async () => {
    await using s = await startTestServer();
    const proc = Bun.spawnSync(["bash", "-n", await script(s, "bash")]);
    expect({ rc: proc.exitCode, err: proc.stderr.toString() }).toEqual({ rc: 0, err: "" });
  });

  test("the zsh script is valid zsh", async () => {
    await using s = await startTestServer();
    const proc = Bun.spawnSync(["zsh", "-n", await script(s, "zsh")]);
    expect({ rc: proc.exitCode, err: proc.stderr.toString() }).toEqual({ rc: 0, err: "" });
  });

  test("bash completes help topics, node sets from the server and checkpoint ranges", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp1"])).code).toBe(0);
    const out = await inShell(
      s,
      "bash",
      [bashCompletion("walt help show ad"), bashCompletion("walt node reboot vn1,my-n"), bashCompletion("walt node show "), bashCompletion("walt log show --history cp1:c")].join("\necho --\n"),
    );
    expect(out).toBe("admin\n--\nvn1,my-nodes\nvn1,my-nodes,\n--\nvn1\nvn2\nmy-nodes\nall-nodes\nfree-nodes\n--\ncp1\n");
  });

  test("zsh completes node names from the server, setting names without a trailing space", async () => {
    await using s = await startTestServer();
    await platform(s);
    const out = await inShell(s, "zsh", "words=(walt node shell v); CURRENT=4; PREFIX=v; _walt\nwords=(walt node config vn1 ra); CURRENT=5; PREFIX=ra; _walt");
    expect(out).toBe("ADD -Q -- vn1 vn2\nADD -Q -S  -- ram=\n");
  });
});

describe("walt advanced autocomplete-helper", () => {
  test("zsh mode takes the words and the partial word", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["advanced", "autocomplete-helper", "--", "node", "reboot", "vn1,my-n"])).toEqual({ code: 0, out: "vn1,my-nodes\nvn1,my-nodes,\n", err: "" });
    expect(await s.cli("alice", ["advanced", "autocomplete-helper", "--", "log", "show", "--"])).toEqual({
      code: 0,
      out: ["--emitters", "--format", "--help", "--history", "--issuers", "--nodes", "--platform", "--realtime", "--server", "--streams", ""].join("\n"),
      err: "",
    });
  });

  test("bash mode takes the line and bash's current word", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["advanced", "autocomplete-helper", "--cur", "", "--line", "walt log show --issuers "])).toEqual({
      code: 0,
      out: ["vn1", "vn2", "walt-server", "server", "my-nodes", "all-nodes", "free-nodes", ""].join("\n"),
      err: "",
    });
  });

  test("setting names of a virtual node are WALT's list", async () => {
    await using s = await startTestServer();
    await platform(s);
    const r = await s.cli("alice", ["advanced", "autocomplete-helper", "--", "node", "config", "vn1", ""]);
    expect(r.out.trim().split("\n").sort().join(" ")).toBe(
      "boot.delay= boot.retries= boot.timeout= cpu.cores= disks= expose= kexec.allow= mount.persist= netsetup= networks= ram=",
    );
  });

  test("without a configured client only local words complete, and nothing is asked", async () => {
    await using s = await startTestServer();
    const env = { WALT_CONFIG: join(s.dir, "missing.conf") };
    expect(await s.cli("alice", ["advanced", "autocomplete-helper", "--", "help", "show", "log-w"], { env })).toEqual({ code: 0, out: "log-wait\n", err: "" });
    expect(await s.cli("alice", ["advanced", "autocomplete-helper", "--", "node", "shell", ""], { env })).toEqual({ code: 0, out: "", err: "" });
  });
});

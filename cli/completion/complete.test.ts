import { describe, expect, test } from "bun:test";
import { CATEGORIES } from "../commands/index.ts";
import { complete } from "./complete.ts";
import type { WordSource } from "./source.ts";

/** A platform with two virtual nodes, a switch and the server; alice has two images and a checkpoint. */
const source: WordSource = {
  nodes: async () => ["vn1", "vn2", "rpi-1"],
  devices: async () => ["walt-server", "vn1", "vn2", "rpi-1", "sw1"],
  switches: async () => ["sw1"],
  issuers: async () => ["walt-server", "vn1", "vn2", "rpi-1"],
  images: async () => ["pc-x86-64-default", "exp:v2"],
  checkpoints: async () => ["start", "end-of-test"],
  settings: async (set) => (set === "vn1" ? ["ram", "cpu.cores", "netsetup"] : []),
  topics: () => ["admin", "device-config", "help-intro", "log-show"],
};

/** Candidates for the last word of `line` (the words after `walt`). */
const c = (line: string): Promise<string[]> => {
  const words = line.split(" ");
  return complete(CATEGORIES, words.slice(0, -1), words[words.length - 1] ?? "", source);
};

describe("shell completion", () => {
  test("the first word is a category", async () => {
    expect(await c("")).toEqual(["image", "node", "log", "device", "advanced", "help"]);
    expect(await c("ad")).toEqual(["advanced"]);
    expect(await c("-")).toEqual(["--help"]);
  });

  test("the second word is a sub-command of the category, hidden ones excluded", async () => {
    expect(await c("log ")).toEqual(["show", "wait", "add-checkpoint", "remove-checkpoint", "list-checkpoints"]);
    expect(await c("advanced dump")).toEqual(["dump-bash-autocomplete", "dump-zsh-autocomplete"]);
    expect(await c("advanced auto")).toEqual([]);
  });

  test("unknown categories or sub-commands complete nothing", async () => {
    expect(await c("nope ")).toEqual([]);
    expect(await c("log nope ")).toEqual([]);
  });

  test("help topics complete locally (walt help show ad → admin)", async () => {
    expect(await c("help show ad")).toEqual(["admin"]);
  });

  test("a node set completes its last item with node names and keywords (walt node reboot vn1,my-n → my-nodes)", async () => {
    expect(await c("node reboot vn1,my-n")).toEqual(["vn1,my-nodes", "vn1,my-nodes,"]);
    expect(await c("node reboot ")).toEqual(["vn1", "vn2", "rpi-1", "my-nodes", "all-nodes", "free-nodes"]);
  });

  test("a single node name is proposed as is", async () => {
    expect(await c("node shell rp")).toEqual(["rpi-1"]);
  });

  test("switches complete after the sub-command, aliases included", async () => {
    expect(await c("log show --i")).toEqual(["--issuers"]);
    expect(await c("log wait --t")).toEqual(["--time-margin", "--timeout"]);
    expect(await c("node show -")).toEqual(["--all", "--details", "--help", "--names-only"]);
  });

  test("switch values complete by kind: issuers, history ranges, wait modes", async () => {
    expect(await c("log show --issuers walt-server,v")).toEqual(["walt-server,vn1", "walt-server,vn2"]);
    expect(await c("log show --emitters se")).toEqual(["server", "server,"]);
    expect(await c("log show --history st")).toEqual(["start:"]);
    expect(await c("log show --history start:e")).toEqual(["start:end-of-test"]);
    expect(await c("log wait --mode A")).toEqual(["ANY", "ALL"]);
  });

  test("a value that is not completed does not turn into positional completion", async () => {
    expect(await c("log wait --timeout ")).toEqual([]);
    expect(await c("log show --realtime ")).toEqual([]);
  });

  test("checkpoint names complete for remove-checkpoint, not for a new checkpoint", async () => {
    expect(await c("log remove-checkpoint e")).toEqual(["end-of-test"]);
    expect(await c("log add-checkpoint e")).toEqual([]);
  });

  test("setting names of the set complete with their equal sign, values are not completed", async () => {
    expect(await c("node config vn1 ")).toEqual(["ram=", "cpu.cores=", "netsetup="]);
    expect(await c("node config vn1 ram=1G c")).toEqual(["cpu.cores="]);
    expect(await c("node config vn1 ram=")).toEqual([]);
    expect(await c("device config vn1 n")).toEqual(["netsetup="]);
  });

  test("device sets propose device names and every device keyword", async () => {
    expect(await c("device config s")).toEqual(["sw1", "server"]);
    expect(await c("device config all-s")).toEqual(["all-switches", "all-switches,"]);
    expect(await c("device rescan ")).toEqual(["sw1", "server", "explorable-switches"]);
  });

  test("image names include the implicit :latest tag, shown once when it is the only difference", async () => {
    expect(await c("image remove pc")).toEqual(["pc-x86-64-default"]);
    expect(await c("image remove pc-x86-64-default:")).toEqual(["pc-x86-64-default:latest"]);
    expect(await c("image remove e")).toEqual(["exp:v2"]);
    expect(await c("node boot vn1 d")).toEqual(["default"]);
  });

  test("after `--`, words are positional even when they start with a dash", async () => {
    expect(await c("help show -- ad")).toEqual(["admin"]);
  });

  test("new names and free text are not completed", async () => {
    expect(await c("image build x")).toEqual([]);
    expect(await c("log show ")).toEqual([]);
  });
});

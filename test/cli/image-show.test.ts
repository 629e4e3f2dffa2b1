/** `walt image show` (WALT §1.5, §4.4): tables, footnotes, default images cloned for a new user. */
import { describe, expect, test } from "bun:test";
import { formatLocalDateTime } from "../../src/text/log-format.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const B = "\x1b[1m";
const R = "\x1b[0m";
const CREATED = "2024-01-02T03:04:05Z";
const created = formatLocalDateTime(Date.parse(CREATED) * 1000);
const section = (title: string, lines: string[]): string => `\n${B}${title}\n${R}\n${lines.join("\n")}\n\n`;
const RERUN = "Re-run with --all to see all OS images on this platform.";
const TIP_CLONE = "Use 'walt image clone <clonable_link>' to clone an image\ninto your working set.";
const TIP_SEARCH = "Use 'walt image search [<keyword>]' to search for images\non remote registries.";

async function platform(s: TestServer, models = ["pc-x86-64"]): Promise<void> {
  let n = 0;
  for (const model of models) {
    n++;
    await s.register({ mac: `52:54:00:00:00:0${n}`, ip: `192.168.152.1${n}`, type: "node", model, virtual: true, name: `vn${n}` });
  }
}

const defaultImage = (s: TestServer, model = "pc-x86-64", labels: Record<string, string> = {}): Promise<string> =>
  storeImage(s.ctx.images, `waltplatform/${model}-default:latest`, { labels: { "walt.node.models": model, ...labels }, created: CREATED, layers: [{ model }] });

describe("walt image show", () => {
  test("a new user gets the default image of each node model of the platform, then sees it", async () => {
    await using s = await startTestServer();
    await platform(s);
    await defaultImage(s);
    const r = await s.cli("alice", ["image", "show"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const dateCol = "created".padEnd(created.length);
    expect(r.out).toBe(
      "Cloned pc-x86-64-default, a default image for pc-x86-64.\n" +
        section("Your working set is made of the following images:", [
          `name               in-use  ${dateCol}  compatibility`,
          `-----------------  ------  ${"-".repeat(created.length)}  -------------`,
          `pc-x86-64-default  False   ${created}  pc-x86-64    `,
        ]) +
        `${RERUN}\n`,
    );
    // only once: the working set is not empty any more
    expect((await s.cli("alice", ["image", "show"])).out).not.toContain("Cloned");
    expect(await s.cli("alice", ["image", "show", "--names-only"])).toEqual({ code: 0, out: "pc-x86-64-default\n", err: "" });
  });

  test("the preferred-name label names the clone, and one default image serves all its models", async () => {
    await using s = await startTestServer();
    await platform(s, ["rpi-b", "rpi-3-b", "pc-x86-64"]);
    await storeImage(s.ctx.images, "waltplatform/rpi-b-default:latest", { labels: { "walt.node.models": "rpi-b,rpi-2-b,rpi-3-b", "walt.image.preferred-name": "rpi-default:v2" } });
    await storeImage(s.ctx.images, "waltplatform/rpi-3-b-default:latest", { labels: { "walt.node.models": "rpi-3-b" } });
    await defaultImage(s);
    const r = await s.cli("alice", ["image", "show", "--names-only"]);
    expect(r).toEqual({
      code: 0,
      out: "Cloned rpi-default:v2, a default image for rpi-[b|2-b|3-b].\nCloned pc-x86-64-default, a default image for pc-x86-64.\npc-x86-64-default\nrpi-default:v2\n",
      err: "",
    });
  });

  test("--all lists the other users' images and the default images, with clonable links", async () => {
    await using s = await startTestServer();
    await platform(s);
    await defaultImage(s);
    await storeImage(s.ctx.images, "bob/tshark:v1", { created: CREATED, labels: { "walt.node.models": "pc-x86-64,pc-x86-32" } });
    await storeImage(s.ctx.images, "alice/mine:latest", { created: CREATED, labels: { "walt.node.models": "rpi-b,rpi-2-b,rpi-3-b" } });
    await s.ctx.db.orm.update(s.ctx.db.t.nodes).set({ image: "alice/mine:latest" });
    const r = await s.cli("alice", ["image", "show", "--all"]);
    expect(r.code).toBe(0);
    const d = "created".padEnd(created.length);
    const dash = "-".repeat(created.length);
    expect(r.out).toBe(
      section("Your working set is made of the following images:", [
        `name  in-use  ${d}  compatibility  `,
        `----  ------  ${dash}  ---------------`,
        `mine  True    ${created}  rpi-[b|2-b|3-b]`,
      ]) +
        section("Other users of this platform have created the following images:", [
          `user  name       ${d}  clonable-link     `,
          `----  ---------  ${dash}  ------------------`,
          `bob   tshark:v1  ${created}  walt:bob/tshark:v1`,
        ]) +
        section("The following are default OS images:", [
          `name               ${d}  clonable-link                      `,
          `-----------------  ${dash}  -----------------------------------`,
          `pc-x86-64-default  ${created}  walt:waltplatform/pc-x86-64-default`,
        ]) +
        `${TIP_CLONE}\n${TIP_SEARCH}\n`,
    );
  });

  test("without images anywhere: working set empty, or no OS images with --all", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["image", "show"])).toEqual({ code: 0, out: "Your working set is empty.\n", err: "" });
    expect(await s.cli("alice", ["image", "show", "--all", "--refresh"])).toEqual({ code: 0, out: "No OS images found!\n", err: "" });
    expect(await s.cli("alice", ["image", "show", "--names-only"])).toEqual({ code: 0, out: "", err: "" });
  });

  test("a user with no image but others' images is told to re-run with --all", async () => {
    await using s = await startTestServer();
    await storeImage(s.ctx.images, "bob/x:latest");
    expect(await s.cli("alice", ["image", "show"])).toEqual({ code: 0, out: `Your working set is empty.\n${RERUN}\n`, err: "" });
  });

  test("--names-only and --all together are refused", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["image", "show", "--names-only", "--all"])).toEqual({
      code: 1,
      out: "Sorry, but options --names-only and --all are mutually exclusive.\n",
      err: "",
    });
  });
});

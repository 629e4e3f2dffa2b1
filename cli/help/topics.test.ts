import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { INDEX_PATH, renderIndex, topicFiles } from "./gen-index.ts";
import { DEFAULT_TOPIC, getTopic, listTopics, titleOf } from "./topics.ts";

describe("help topics", () => {
  test("the generated index embeds every docs/help file (run `bun cli/help/gen-index.ts` when this fails)", () => {
    expect(readFileSync(INDEX_PATH, "utf8")).toBe(renderIndex(topicFiles()));
  });

  test("every docs/help file is listed, sorted by name", () => {
    expect(listTopics().map((t) => t.name)).toEqual(topicFiles());
  });

  test("each topic starts with a level-1 heading, which is its title", () => {
    for (const { name, title } of listTopics()) {
      const md = getTopic(name) ?? "";
      expect(md.startsWith("# ")).toBe(true);
      expect(title).toBe(md.split("\n")[0]?.slice(2) ?? "");
    }
  });

  test("links to other topics point to existing topics", () => {
    for (const { name } of listTopics()) {
      for (const m of (getTopic(name) ?? "").matchAll(/\]\(([^)]*)\.md\)/g)) {
        expect({ from: name, to: m[1], exists: getTopic(m[1] ?? "") !== undefined }).toEqual({ from: name, to: m[1], exists: true });
      }
    }
  });

  test("the introduction links to every other topic", () => {
    const intro = getTopic(DEFAULT_TOPIC) ?? "";
    const missing = listTopics()
      .map((t) => t.name)
      .filter((n) => n !== DEFAULT_TOPIC && !intro.includes(`[\`walt help show ${n}\`](${n}.md)`));
    expect(missing).toEqual([]);
  });

  test("the topics WALT's messages refer to exist", () => {
    for (const n of ["help-intro", "node-ownership", "device-config", "log-history", "image-build", "shells", "node-save", "node-console", "server-config", "client-config"]) {
      expect(getTopic(n)).toBeDefined();
    }
  });

  test("an unknown name or an object property is not a topic", () => {
    expect(getTopic("no-such-topic")).toBeUndefined();
    expect(getTopic("constructor")).toBeUndefined();
    expect(getTopic("__proto__")).toBeUndefined();
  });

  test("a title is the first non-empty line without its # marks", () => {
    expect(titleOf("\n\n## Hello world  \ntext")).toBe("Hello world");
    expect(titleOf("")).toBe("");
  });
});

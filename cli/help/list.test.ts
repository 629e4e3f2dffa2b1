import { expect, test } from "bun:test";
import { renderHelpList } from "./list.ts";
import { listTopics } from "./topics.ts";

test("help list pads topic names to the longest one and sorts the lines", () => {
  const out = renderHelpList([
    { name: "logging", title: "The logging system" },
    { name: "log-show", title: "Showing logs" },
    { name: "admin", title: "Admin" },
  ]);
  expect(out).toBe(
    "The following help topics are available:\n" +
      "admin    -- Admin\n" +
      "log-show -- Showing logs\n" +
      "logging  -- The logging system\n",
  );
});

test("help list shows every embedded topic with its title", () => {
  const lines = renderHelpList().trimEnd().split("\n");
  expect(lines[0]).toBe("The following help topics are available:");
  expect(lines.length).toBe(listTopics().length + 1);
  const width = Math.max(...listTopics().map((t) => t.name.length));
  expect(lines).toContain(`${"admin".padEnd(width)} -- Administrator's summary`);
  expect(lines.slice(1).every((l) => l.indexOf(" -- ") === width)).toBe(true);
});

/** `walt help list`: one line per topic, names padded to the longest one, then its title. */
import { listTopics } from "./topics.ts";

/** The whole output of `walt help list`, newline-terminated. */
export function renderHelpList(topics: { name: string; title: string }[] = listTopics()): string {
  const width = Math.max(0, ...topics.map((t) => t.name.length));
  const lines = topics
    .map((t) => `${t.name.padEnd(width)} -- ${t.title}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ["The following help topics are available:", ...lines].map((l) => l + "\n").join("");
}

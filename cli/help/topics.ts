/** The help topics embedded in the binary (docs/help/*.md, through the generated topics-index.ts). */
import { TOPIC_TEXTS } from "./topics-index.ts";

/** Topic shown by `walt help show` without an argument. */
export const DEFAULT_TOPIC = "help-intro";

/** A topic's title: its first non-empty line, without the leading `#` marks (as WALT computes it). */
export function titleOf(markdown: string): string {
  for (const line of markdown.split(/[\n#]+/)) {
    if (line.trim() !== "") return line.trim();
  }
  return "";
}

/** Markdown of a topic, or undefined when there is no such topic. */
export function getTopic(name: string): string | undefined {
  return Object.hasOwn(TOPIC_TEXTS, name) ? TOPIC_TEXTS[name] : undefined;
}

/** Every topic with its title, sorted by name. */
export function listTopics(): { name: string; title: string }[] {
  return Object.keys(TOPIC_TEXTS)
    .sort()
    .map((name) => ({ name, title: titleOf(TOPIC_TEXTS[name] ?? "") }));
}

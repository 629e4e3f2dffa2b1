/** `walt image show` output (WALT server images/show.py: titled tables of np_columnate, then footnotes). */
import type { ImageInfo } from "../../../src/api/images.ts";
import { autoglob } from "../../../src/text/autoglob.ts";
import { formatLocalDateTime } from "../../../src/text/log-format.ts";
import { formatParagraph } from "../../../src/text/paragraph.ts";
import { columnate, type Cell } from "../../../src/text/table.ts";

const MSG_WS_IS_EMPTY = "Your working set is empty.";
const MSG_RERUN_WITH_ALL = "Re-run with --all to see all OS images on this platform.";
const MSG_TIP_CLONE = "Use 'walt image clone <clonable_link>' to clone an image\ninto your working set.";
const MSG_TIP_SEARCH = "Use 'walt image search [<keyword>]' to search for images\non remote registries.";
const TITLE_USER = "Your working set is made of the following images:";
const TITLE_OTHER = "Other users of this platform have created the following images:";
const TITLE_DEFAULT = "The following are default OS images:";
const MSG_NO_IMAGES = "No OS images found!";
export const MSG_NAMES_ONLY_AND_ALL = "Sorry, but options --names-only and --all are mutually exclusive.";

type Col = (i: ImageInfo) => Cell;
const COLS: Record<string, Col> = {
  user: (i) => i.user,
  name: (i) => i.name,
  in_use: (i) => i.inUse,
  created: (i) => formatLocalDateTime(i.createdUs),
  "compatibility:compact": (i) => autoglob(i.models),
  clonable_link: (i) => `walt:${i.user}/${i.name}`,
};

function table(title: string, images: ImageInfo[], cols: string[]): string {
  const rows = images.map((i) => cols.map((c) => (COLS[c] as Col)(i)));
  return formatParagraph(title, columnate(cols, rows, { headerStyle: "np_columnate" }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: ImageInfo, b: ImageInfo): number => cmp(a.name, b.name);
const byUserName = (a: ImageInfo, b: ImageInfo): number => cmp(a.user, b.user) || byName(a, b);

/** The working set's names, one per line (`--names-only`). */
export function renderNamesOnly(username: string, images: readonly ImageInfo[]): string {
  return images
    .filter((i) => i.user === username)
    .sort(byName)
    .map((i) => i.name)
    .join("\n");
}

/** WALT's user / other / default subsets (a default image: `waltplatform/*-default`). */
export function renderImageShow(username: string, images: readonly ImageInfo[], showAll: boolean): string {
  const isDefault = (i: ImageInfo): boolean => i.user === "waltplatform" && i.name.endsWith("-default");
  const mine = images.filter((i) => i.user === username).sort(byName);
  const defaults = images.filter((i) => i.user !== username && isDefault(i)).sort(byName);
  const others = images.filter((i) => i.user !== username && !isDefault(i)).sort(byUserName);
  let out = "";
  let notes: string[] = [];
  if (!showAll && others.length + defaults.length > 0) notes.push(MSG_RERUN_WITH_ALL);
  if (mine.length === 0 && !showAll) notes = [MSG_WS_IS_EMPTY, ...notes];
  else if (images.length === 0) notes = [MSG_NO_IMAGES, ...notes];
  else {
    if (mine.length > 0) out += table(TITLE_USER, mine, ["name", "in_use", "created", "compatibility:compact"]);
    if (showAll) {
      if (others.length > 0) out += table(TITLE_OTHER, others, ["user", "name", "created", "clonable_link"]);
      if (defaults.length > 0) out += table(TITLE_DEFAULT, defaults, ["name", "created", "clonable_link"]);
      if (others.length + defaults.length > 0) notes.push(MSG_TIP_CLONE);
      notes.push(MSG_TIP_SEARCH);
    }
  }
  return out + notes.join("\n");
}

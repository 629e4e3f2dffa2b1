/**
 * Markdown → screen lines for the help pager: headings, paragraphs, lists, fenced code, tables, block
 * quotes and rules — the subset the help topics use. Pure: the same text and width give the same lines.
 */
import { emitLine, parseInline, toWords, wrapWords, type LinkSink, type Piece, type Style } from "./pager-inline.ts";
import { renderTable } from "./pager-table.ts";

/** Rendered topic: ANSI lines, and each topic link with the line it starts on. */
export interface RenderedDoc {
  lines: string[];
  links: { topic: string; line: number }[];
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
const TABLE = /^\s*\|/;
const QUOTE = /^\s*>/;
const startsBlock = (l: string): boolean =>
  FENCE.test(l) || HEADING.test(l) || RULE.test(l) || ITEM.test(l) || TABLE.test(l) || QUOTE.test(l);
const isBlank = (l: string): boolean => l.trim() === "";

/**
 * Render `md` for a terminal `columns` wide (1-column margins each side). The link numbered `selected`
 * (index into `links`) is highlighted; -1 highlights none.
 */
export function renderMarkdown(md: string, columns: number, selected = -1): RenderedDoc {
  const sink: LinkSink = { topics: [] };
  const body = renderBlocks(md.replace(/\r\n?/g, "\n").split("\n"), Math.max(10, columns - 2), sink);
  while (body.length && body[body.length - 1]?.length === 0) body.pop();
  const firstLine = new Map<number, number>();
  const lines = body.map((pieces, lineNo) => {
    for (const p of pieces) if (p.style.link !== undefined && !firstLine.has(p.style.link)) firstLine.set(p.style.link, lineNo);
    return pieces.length ? emitLine([{ text: " ", style: {} }, ...pieces], selected).trimEnd() : "";
  });
  return { lines, links: sink.topics.map((topic, i) => ({ topic, line: firstLine.get(i) ?? 0 })) };
}

function renderBlocks(src: string[], width: number, sink: LinkSink): Piece[][] {
  const out: Piece[][] = [];
  const gap = (): void => {
    if (out.length && out[out.length - 1]?.length !== 0) out.push([]);
  };
  let i = 0;
  while (i < src.length) {
    const line = src[i] ?? "";
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    const take = (pred: (l: string) => boolean): string[] => {
      const start = i;
      while (i < src.length && pred(src[i] ?? "")) i += 1;
      return src.slice(start, i);
    };
    gap();
    const heading = HEADING.exec(line);
    if (FENCE.test(line)) {
      const fence = FENCE.exec(line)?.[1] ?? "```";
      i += 1;
      const code = take((l) => !l.trimStart().startsWith(fence));
      i += 1; // closing fence
      for (const c of code) out.push(...codeLines(c, width));
    } else if (heading) {
      i += 1;
      const style: Style = { heading: heading[1]?.length ?? 1 };
      out.push(...wrapWords(toWords(parseInline(heading[2] ?? "", style, sink)), width, style));
    } else if (RULE.test(line)) {
      i += 1;
      out.push([{ text: "─".repeat(width), style: { dim: true } }]);
    } else if (TABLE.test(line)) {
      out.push(...renderTable(take((l) => TABLE.test(l)), sink));
    } else if (QUOTE.test(line)) {
      const inner = take((l) => QUOTE.test(l)).map((l) => l.replace(/^\s*> ?/, ""));
      const bar: Piece = { text: "│ ", style: { dim: true } };
      for (const l of renderBlocks(inner, width - 2, sink)) out.push([bar, ...l]);
    } else if (ITEM.test(line)) {
      const list = takeList(src, i);
      i += list.length;
      out.push(...renderList(list, width, sink));
    } else {
      i += 1;
      const para = [line, ...take((l) => !isBlank(l) && !startsBlock(l))];
      out.push(...renderParagraph(para, width, {}, sink, "", ""));
    }
  }
  return out;
}

/** A code line, indented by 2 and cut into pieces of `width` columns so that nothing is hidden. */
function codeLines(line: string, width: number): Piece[][] {
  const chars = [..."  " + line.replace(/\t/g, "    ")];
  const out: Piece[][] = [];
  for (let i = 0; i === 0 || i < chars.length; i += width) out.push([{ text: chars.slice(i, i + width).join(""), style: { code: true } }]);
  return out;
}

/** Paragraph lines, honouring hard breaks (a line ending with a backslash or two spaces). */
function renderParagraph(lines: string[], width: number, style: Style, sink: LinkSink, first: string, indent: string): Piece[][] {
  const out: Piece[][] = [];
  let chunk: string[] = [];
  const flush = (): void => {
    if (!chunk.length) return;
    const words = toWords(parseInline(chunk.join(" "), style, sink));
    out.push(...wrapWords(words, width, style, out.length ? indent : first, indent));
    chunk = [];
  };
  for (const l of lines) {
    const hard = /(\\|\s{2,})$/.test(l);
    chunk.push(hard ? l.replace(/(\\|\s+)$/, "") : l.trim());
    if (hard) flush();
  }
  flush();
  return out;
}

/** The lines of the list starting at `start`: items, their continuations, and blank lines inside. */
function takeList(src: string[], start: number): string[] {
  let end = start;
  while (end < src.length) {
    const l = src[end] ?? "";
    if (isBlank(l)) {
      const next = src.slice(end).find((x) => !isBlank(x));
      if (next === undefined || !(ITEM.test(next) || /^\s{2,}/.test(next))) break;
    } else if (end > start && !ITEM.test(l) && !/^\s+/.test(l) && startsBlock(l)) break;
    end += 1;
  }
  return src.slice(start, end);
}

function renderList(lines: string[], width: number, sink: LinkSink): Piece[][] {
  const out: Piece[][] = [];
  const indents: number[] = [];
  let item: { level: number; marker: string; text: string[] } | undefined;
  const flush = (): void => {
    if (!item) return;
    const pad = "  ".repeat(item.level);
    const first = pad + item.marker + " ";
    out.push(...renderParagraph(item.text, width, {}, sink, first, " ".repeat([...first].length)));
    item = undefined;
  };
  for (const l of lines) {
    const m = ITEM.exec(l);
    if (m) {
      flush();
      const indent = m[1]?.length ?? 0;
      while (indents.length && (indents[indents.length - 1] ?? 0) > indent) indents.pop();
      if (!indents.length || (indents[indents.length - 1] ?? 0) < indent) indents.push(indent);
      const marker = /^\d/.test(m[2] ?? "") ? (m[2] ?? "") : "•";
      item = { level: indents.length - 1, marker, text: [m[3] ?? ""] };
    } else if (!isBlank(l) && item) item.text.push(l.trim());
  }
  flush();
  return out;
}

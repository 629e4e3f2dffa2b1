/**
 * Inline markdown for the help pager: code spans, links, bold and italics become styled pieces, which are
 * then wrapped into lines and turned into ANSI strings. Pure functions; pager-markdown.ts handles blocks.
 */
import { RESET, sgr } from "./pager-ansi.ts";

/** How a piece of text looks. `link` is the index of a topic link in document order. */
export interface Style {
  heading?: number;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  url?: boolean;
  dim?: boolean;
  link?: number;
}

export interface Piece {
  text: string;
  style: Style;
}

/** A word: pieces with no whitespace between them (e.g. a code span followed by a comma). */
export type Word = Piece[];

/** Topic link targets met while parsing, in document order. */
export interface LinkSink {
  topics: string[];
}

/** `name.md` (a sibling topic file) → `name`; anything else is an ordinary link. */
export function topicOfLink(destination: string): string | undefined {
  return /^([a-z0-9][a-z0-9-]*)\.md$/.exec(destination)?.[1];
}

const ESCAPABLE = /[\\`*_[\]()#+\-.!<>|{}]/;

/** Parse inline markdown into styled pieces; topic links are numbered through `links`. */
export function parseInline(src: string, style: Style, links: LinkSink): Piece[] {
  const out: Piece[] = [];
  let buf = "";
  const flush = (): void => {
    if (buf !== "") out.push({ text: buf, style });
    buf = "";
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    const rest = src.slice(i);
    if (c === "\\" && ESCAPABLE.test(src[i + 1] ?? "")) {
      buf += src[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const ticks = /^`+/.exec(rest)?.[0] ?? "`";
      const end = src.indexOf(ticks, i + ticks.length);
      if (end > i) {
        flush();
        out.push({ text: src.slice(i + ticks.length, end), style: { ...style, code: true } });
        i = end + ticks.length;
      } else {
        buf += ticks;
        i += ticks.length;
      }
      continue;
    }
    const link = c === "[" ? /^\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)/.exec(rest) : null;
    if (link) {
      flush();
      out.push(...linkPieces(link[1] ?? "", link[2] ?? "", style, links));
      i += link[0].length;
      continue;
    }
    const auto = c === "<" ? /^<(https?:\/\/[^>\s]+)>/.exec(rest) : null;
    if (auto) {
      flush();
      out.push({ text: auto[1] ?? "", style: { ...style, url: true } });
      i += auto[0].length;
      continue;
    }
    const emphasis = c === "*" ? /^(\*\*?)(?!\s)(.+?)(?<!\s)\1/.exec(rest) : null;
    if (emphasis) {
      flush();
      const strong = emphasis[1] === "**";
      out.push(...parseInline(emphasis[2] ?? "", strong ? { ...style, bold: true } : { ...style, italic: true }, links));
      i += emphasis[0].length;
      continue;
    }
    buf += c;
    i += 1;
  }
  flush();
  return out;
}

function linkPieces(text: string, destination: string, style: Style, links: LinkSink): Piece[] {
  const topic = topicOfLink(destination);
  if (topic !== undefined) {
    const index = links.topics.push(topic) - 1;
    return parseInline(text, { ...style, link: index }, links);
  }
  const label = parseInline(text, style, links);
  if (destination === "" || destination === text) return label;
  return [...label, { text: " (", style }, { text: destination, style: { ...style, url: true } }, { text: ")", style }];
}

/** Split pieces on whitespace into words. */
export function toWords(pieces: Piece[]): Word[] {
  const words: Word[] = [];
  let current: Piece[] = [];
  for (const p of pieces) {
    for (const part of p.text.split(/(\s+)/)) {
      if (part === "") continue;
      if (/^\s+$/.test(part)) {
        if (current.length) words.push(current);
        current = [];
      } else current.push({ text: part, style: p.style });
    }
  }
  if (current.length) words.push(current);
  return words;
}

const wordLength = (w: Word): number => w.reduce((n, p) => n + [...p.text].length, 0);
const sameStyle = (a: Style, b: Style): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Greedy wrap to `width` columns. Continuation lines start with `indent`; the first one with `firstIndent`.
 * A space inside a multi-word link or code span keeps that style, so highlights stay continuous.
 */
export function wrapWords(words: Word[], width: number, base: Style, firstIndent = "", indent = ""): Piece[][] {
  const lines: Piece[][] = [];
  let line: Piece[] = [{ text: firstIndent, style: {} }];
  let used = [...firstIndent].length;
  let empty = true;
  for (const w of words) {
    const len = wordLength(w);
    if (!empty && used + 1 + len > width) {
      lines.push(line);
      line = [{ text: indent, style: {} }];
      used = [...indent].length;
      empty = true;
    }
    if (!empty) {
      const prev = line[line.length - 1]?.style ?? base;
      const next = w[0]?.style ?? base;
      line.push({ text: " ", style: sameStyle(prev, next) ? prev : base });
      used += 1;
    }
    line.push(...w);
    used += len;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function codesOf(style: Style, selected: number): number[] {
  const codes: number[] = [];
  if (style.heading !== undefined) codes.push(1, style.heading <= 2 ? 35 : 33);
  if (style.heading === 1) codes.push(4);
  if (style.bold) codes.push(1);
  if (style.italic) codes.push(3);
  if (style.dim) codes.push(2);
  if (style.link !== undefined) {
    codes.push(1, 34);
    if (style.link === selected) codes.push(7);
  } else if (style.url) codes.push(34, 4);
  else if (style.code) codes.push(36);
  return [...new Set(codes)];
}

/** One screen line as an ANSI string; the topic link numbered `selected` is shown in reverse video. */
export function emitLine(pieces: Piece[], selected: number): string {
  let out = "";
  let runText = "";
  let runCodes = "";
  const close = (): void => {
    if (runText !== "") out += runCodes === "" ? runText : sgr(...runCodes.split(",").map(Number)) + runText + RESET;
    runText = "";
  };
  for (const p of pieces) {
    const codes = codesOf(p.style, selected).join(",");
    if (codes !== runCodes) {
      close();
      runCodes = codes;
    }
    runText += p.text;
  }
  close();
  return out;
}

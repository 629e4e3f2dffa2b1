/** Markdown pipe tables for the help pager: aligned columns, bold header, a rule under it. */
import { parseInline, type LinkSink, type Piece } from "./pager-inline.ts";

const SEPARATOR_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Split `| a | b |` into trimmed cells; a `|` inside a code span or escaped with `\` stays in its cell. */
export function splitCells(row: string): string[] {
  const body = row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i] ?? "";
    if (c === "\\" && body[i + 1] === "|") {
      cell += "|";
      i += 1;
    } else if (c === "`") {
      inCode = !inCode;
      cell += c;
    } else if (c === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

const widthOf = (pieces: Piece[]): number => pieces.reduce((n, p) => n + [...p.text].length, 0);

/** Table rows → lines of pieces (columns separated by two spaces, as WALT's own tables are). */
export function renderTable(rows: string[], sink: LinkSink): Piece[][] {
  const header = rows[0] ?? "";
  const body = rows.slice(1).filter((r) => !SEPARATOR_ROW.test(r));
  const parse = (row: string, bold: boolean): Piece[][] =>
    splitCells(row).map((cell) => parseInline(cell, bold ? { bold: true } : {}, sink));
  const cells = [parse(header, true), ...body.map((r) => parse(r, false))];
  const columns = Math.max(...cells.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...cells.map((r) => widthOf(r[c] ?? []))));
  const line = (row: Piece[][]): Piece[] => {
    const out: Piece[] = [];
    widths.forEach((w, c) => {
      const cell = row[c] ?? [];
      if (c > 0) out.push({ text: "  ", style: {} });
      out.push(...cell);
      if (c < columns - 1) out.push({ text: " ".repeat(w - widthOf(cell)), style: {} });
    });
    return out;
  };
  const rule: Piece[] = [{ text: widths.map((w) => "─".repeat(w)).join("  "), style: { dim: true } }];
  const [head, ...rest] = cells;
  return [line(head ?? []), rule, ...rest.map(line)];
}

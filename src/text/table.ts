/**
 * WALT's tables: `columnate` (common/walt/common/formatting.py) and `np_columnate` (server/walt/server/tools.py).
 *
 * Output: an optional header row, a separator row of `-` repeated to each column width, then the data rows;
 * cells padded to the column width (trailing padding kept, even on the last column), columns joined by exactly
 * two spaces, rows joined by `\n` with no trailing newline. An empty table (no data row) renders as "".
 */

/** A table cell; null and undefined render as an empty cell, booleans as Python's `True` / `False`. */
export type Cell = string | number | boolean | null | undefined;

/** Options of {@link columnate}. */
export interface ColumnateOptions {
  /**
   * How header names are prettified: `columnate` (default) replaces `_` with a space (device show, search,
   * checkpoints); `np_columnate` drops any `:suffix` and replaces `_` with `-` (node and image tables).
   */
  headerStyle?: "columnate" | "np_columnate";
  /** Drop the columns whose data cells are all empty (WALT's `shrink_empty_cols`). */
  shrinkEmptyCols?: boolean;
  /** One character per column: `<` left-aligned (default), `>` right-aligned. */
  align?: string;
}

const COLUMNATE_SPACING = "  ";

/** Python's `str()` of a cell value, with None rendered empty. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "boolean") return cell ? "True" : "False";
  return String(cell);
}

/** Printed width of a cell: code points, ignoring ANSI `ESC[...m` sequences (WALT's `char_len`). */
export function charLen(text: string): number {
  return [...text.replace(/\x1b[^m]*m/g, "")].length;
}

function prettyHeader(name: string, style: "columnate" | "np_columnate"): string {
  if (style === "columnate") return name.replaceAll("_", " ");
  const colon = name.indexOf(":");
  return (colon === -1 ? name : name.slice(0, colon)).replaceAll("_", "-");
}

/**
 * Render a table the way WALT's `columnate` does.
 *
 * @param header column names, or null for a table without header (and without separator row)
 * @param rows data rows, all of the header's length
 */
export function columnate(header: readonly string[] | null, rows: readonly (readonly Cell[])[], options: ColumnateOptions = {}): string {
  if (rows.length === 0) return "";
  const style = options.headerStyle ?? "columnate";
  let data = rows.map((row) => row.map(cellText));
  let names = header === null ? null : header.map((h) => prettyHeader(h, style));
  const width = data[0]?.length ?? 0;
  let align = [...(options.align ?? "<".repeat(width))];
  if (options.shrinkEmptyCols === true) {
    const keep = Array.from({ length: width }, (_, i) => data.some((row) => (row[i] ?? "").length > 0));
    const kept = <T>(xs: readonly T[]): T[] => xs.filter((_, i) => keep[i] !== false);
    data = data.map(kept);
    names = names === null ? null : kept(names);
    align = kept(align);
  }
  const all = names === null ? data : [names, ...data];
  const lengths = all.map((row) => row.map(charLen));
  const colWidths = (all[0] ?? []).map((_, i) => Math.max(...lengths.map((row) => row[i] ?? 0)));
  if (names !== null) {
    all.splice(1, 0, colWidths.map((w) => "-".repeat(w)));
    lengths.splice(1, 0, colWidths);
  }
  return all
    .map((row, r) =>
      row
        .map((text, c) => {
          const pad = " ".repeat(Math.max(0, (colWidths[c] ?? 0) - (lengths[r]?.[c] ?? 0)));
          return align[c] === ">" ? pad + text : text + pad;
        })
        .join(COLUMNATE_SPACING),
    )
    .join("\n");
}

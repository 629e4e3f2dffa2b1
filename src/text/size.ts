/**
 * Sizes for people: `si` = decimal units as `ls -h --si` prints them (`8.1 MB`, `123 MB`: one decimal below
 * 100), `iec` = binary units with one decimal (`1.5 KiB`), as transfer progress shows them.
 */
const UNITS = { si: ["B", "kB", "MB", "GB", "TB"], iec: ["B", "KiB", "MiB", "GiB", "TiB"] };

export function formatSize(bytes: number, system: "si" | "iec"): string {
  const units = UNITS[system];
  const base = system === "si" ? 1000 : 1024;
  let v = bytes;
  let u = 0;
  while (v >= base && u < units.length - 1) {
    v /= base;
    u++;
  }
  if (u === 0) return `${bytes} B`;
  const digits = system === "si" && v >= 100 ? Math.round(v).toString() : v.toFixed(1);
  return `${digits} ${units[u] ?? ""}`;
}

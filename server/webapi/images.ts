/**
 * `GET /api/v1/images`: every image of every user with exactly WALT's 6 keys, filterable on
 * fullname, user, id and in_use. `refresh=<bool>` asks WALT to rescan its image store first; it is
 * validated as WALT does but there is nothing to rescan yet (the table is the store's source of truth).
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { ImageRepo } from "../images/repo.ts";
import { convertValue, filterItems, type FieldType } from "./filters.ts";

/** One entry of `images`, keys in WALT's order. */
export interface WebApiImage {
  fullname: string;
  user: string;
  id: string;
  in_use: boolean;
  created: string;
  compatibility: string[];
}

export const IMAGE_FIELDS: Readonly<Record<string, FieldType>> = {
  fullname: "str",
  user: "str",
  id: "str",
  in_use: "bool",
};

const pad = (n: number): string => String(n).padStart(2, "0");

/** WALT's `created`: local time without sub-seconds, `YYYY-MM-DD hh:mm:ss`. */
export function localDateTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** The reply of /api/v1/images for these query parameters (400 WebApiError on a bad filter). */
export async function listImages(
  ctx: Pick<ServerContext, "db">,
  params: ReadonlyMap<string, string>,
): Promise<{ num_images: number; images: WebApiImage[] }> {
  const filters = new Map(params);
  // WALT pops `refresh` before filtering; it is a bool (an empty value is an error, unlike filters).
  const refresh = filters.get("refresh");
  if (refresh !== undefined) {
    filters.delete("refresh");
    convertValue(refresh, "bool");
  }
  const [rows, devices] = await Promise.all([new ImageRepo(ctx.db).all(), new DeviceRepo(ctx.db).all()]);
  const used = new Set(devices.flatMap((d) => (d.node ? [d.node.image] : [])));
  const all = rows
    .map(
      (r): WebApiImage => ({
        fullname: r.fullname,
        user: r.fullname.split("/")[0] ?? "",
        id: r.digest === null ? "" : r.digest.replace(/^sha256:/, ""),
        in_use: used.has(r.fullname),
        created: localDateTime(r.createdUs),
        compatibility: [...r.models],
      }),
    )
    // WALT's order is the database's (unspecified); sorting keeps replies stable.
    .sort((a, b) => (a.fullname < b.fullname ? -1 : a.fullname > b.fullname ? 1 : 0));
  const images = filterItems(all, IMAGE_FIELDS, filters);
  return { num_images: images.length, images };
}

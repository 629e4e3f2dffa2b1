/** `walt device rename` / `walt node rename` (WALT §1.7): unique, valid name. */
import { conflict, notFound, usageError } from "../../src/errors.ts";
import { validateDeviceName } from "../../src/domain/names.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "./repo.ts";
import { platformLog } from "../logs/platform.ts";

export async function renameDevice(ctx: ServerContext, oldName: string, newName: string): Promise<void> {
  const repo = new DeviceRepo(ctx.db);
  const all = await repo.all();
  const d = all.find((x) => x.name === oldName);
  if (!d) throw notFound(`No device with name '${oldName}' found.`);
  if (d.type === "server") throw usageError("Failed: the server device cannot be renamed.");
  if (oldName === newName) return;
  if (all.some((x) => x.name === newName)) throw conflict(`Failed: a device with name '${newName}' already exists.`);
  const invalid = validateDeviceName(newName);
  if (invalid) throw usageError(invalid);
  await repo.update(d.mac, { name: newName });
  await platformLog(ctx, "devices", `renamed ${oldName} to ${newName}`);
}

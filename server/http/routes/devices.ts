/** Device endpoints (`walt device …`, and the set/ownership helpers the CLI uses before acting). */
import * as api from "../../../src/api/devices.ts";
import { usageError } from "../../../src/errors.ts";
import type { ServerContext } from "../../context.ts";
import { forgetDevice } from "../../devices/forget.ts";
import { deviceInfo } from "../../devices/info.ts";
import { renameDevice } from "../../devices/rename.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { resolveNodeSet, resolveSet, splitOwnership } from "../../devices/sets.ts";
import { renderTree } from "../../devices/tree.ts";
import { getDeviceConfig, setDeviceConfig } from "../../settings/service.ts";
import type { Binder } from "../contract.ts";
import { requireOwnedOrFree } from "../../nodes/guard.ts";

export function deviceRoutes(b: Binder, ctx: ServerContext): void {
  const repo = new DeviceRepo(ctx.db);
  b.call(api.resolveSet, async (i, c) => {
    const all = await repo.all();
    const opts = { allowed: i.allowed, allowEmpty: i.allowEmpty };
    const devs = i.nodesOnly ? resolveNodeSet(all, c.user, i.set, opts) : resolveSet(all, c.user, i.set, opts);
    return { names: devs.map((d) => d.name) };
  });
  b.call(api.ownership, async (i, c) => splitOwnership(resolveSet(await repo.all(), c.user, i.set), c.user));
  b.call(api.listDevices, async (_i, c) => ({ username: c.user, devices: (await repo.all()).map((d) => deviceInfo(ctx, d)) }));
  b.call(api.renameDevice, async (i, c) => {
    const d = await repo.byName(i.oldName);
    if (d?.type === "node") requireOwnedOrFree([d], c.user, i.force);
    await renameDevice(ctx, i.oldName, i.newName);
    return { renamed: true };
  });
  b.call(api.forgetDevice, async (i) => forgetDevice(ctx, i.name, i.force));
  b.call(api.deviceTree, async (i) => ({ text: renderTree(await repo.all(), i.all) }));
  b.call(api.getConfig, async (i, c) => ({ text: await getDeviceConfig(ctx, c.user, i.set, i.nodesOnly) }));
  b.call(api.setConfig, async (i, c) => {
    if (i.settings.length === 0) throw usageError("Please provide settings as `<setting name>=<setting value>` arguments.");
    return setDeviceConfig(ctx, c.user, i.set, i.settings, { nodesOnly: i.nodesOnly, force: i.force });
  });
}

/** Words for shell completion (node, device, image, checkpoint and setting names). */
import { completionWords } from "../../../src/api/complete.ts";
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { resolveSet } from "../../devices/sets.ts";
import { ImageRepo } from "../../images/repo.ts";
import { listCheckpoints } from "../../logs/checkpoints.ts";
import { settingNamesForDevices } from "../../settings/service.ts";
import { parseImageFullname } from "../../../src/domain/image-name.ts";
import type { Binder } from "../contract.ts";

export function completionRoutes(b: Binder, ctx: ServerContext): void {
  b.call(completionWords, async (i, c) => {
    const devices = await new DeviceRepo(ctx.db).all();
    switch (i.kind) {
      case "nodes":
        return { words: devices.filter((d) => d.type === "node").map((d) => d.name) };
      case "devices":
        return { words: devices.map((d) => d.name) };
      case "images": {
        const mine = (await new ImageRepo(ctx.db).all()).filter((r) => r.fullname.startsWith(c.user + "/"));
        return { words: mine.map((r) => parseImageFullname(r.fullname).name) };
      }
      case "checkpoints":
        return { words: (await listCheckpoints(ctx, c.user)).map((x) => x.name) };
      case "settings": {
        let set: ReturnType<typeof resolveSet> = [];
        try {
          set = resolveSet(devices, c.user, i.set);
        } catch {
          return { words: [] };
        }
        return { words: settingNamesForDevices(ctx, set) };
      }
    }
  });
}

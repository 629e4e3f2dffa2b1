/**
 * `walt node create <name>` / `walt node remove <name>` (WALT §7.1): a virtual node owned by its creator, booting
 * the default image of model pc-x86-64 tagged into the creator's working set; removal stops its VM and forgets
 * everything about it (logs, boot tree, persist files).
 */
import { WaltError, conflict, notFound, usageError } from "../../src/errors.ts";
import { defaultImageFullname, formatImageFullname, stripLatest } from "../../src/domain/image-name.ts";
import { deviceNameExistsMessage, validateDeviceName, validateImageName } from "../../src/domain/names.ts";
import type { ServerContext } from "../context.ts";
import { registerDevice } from "../devices/register.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { lowestFreeIp } from "../dhcp/backend.ts";
import { PREFERRED_NAME_LABEL } from "../images/service/working-set.ts";
import { labelsOf } from "../images/store/oci.ts";
import { platformLog } from "../logs/platform.ts";
import { requireOwnedOrFree } from "../nodes/guard.ts";

export const VNODE_MODEL = "pc-x86-64";
export const NETBOOT_DISABLED = "Failed because network boot is disabled on this server, so virtual nodes cannot run.";
const NETBOOT_HINT = "set `netboot: true` in the server configuration (see `walt help show server-config`)";

function requireNetboot(ctx: ServerContext): NonNullable<ServerContext["netboot"]> {
  if (ctx.netboot === undefined) throw new WaltError("UNAVAILABLE", NETBOOT_DISABLED, { hint: NETBOOT_HINT });
  return ctx.netboot;
}

/** A MAC `52:54:00:xx:xx:xx` not used by any device. */
export function newVnodeMac(used: ReadonlySet<string>, random: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(3))): string {
  for (;;) {
    const mac = ["52", "54", "00", ...[...random()].map((b) => b.toString(16).padStart(2, "0"))].join(":");
    if (!used.has(mac)) return mac;
  }
}

export async function createVnode(ctx: ServerContext, user: string, name: string): Promise<{ messages: string[] }> {
  const netboot = requireNetboot(ctx);
  const invalid = validateDeviceName(name);
  if (invalid) throw usageError(invalid);
  const repo = new DeviceRepo(ctx.db);
  const all = await repo.all();
  if (all.some((d) => d.name === name)) throw conflict(deviceNameExistsMessage(name));
  const source = defaultImageFullname(VNODE_MODEL);
  const digest = await ctx.images.resolve(source);
  if (digest === undefined) {
    throw new WaltError("PRECONDITION", `Failed: the default image for "${VNODE_MODEL}" (${source}) is not on this server.`, {
      hint: "put its OCI layout in the server's default-images directory, or run `walt advanced update-default-images`",
    });
  }
  const preferred = labelsOf(await ctx.images.config(digest))[PREFERRED_NAME_LABEL];
  const imageName = preferred !== undefined && validateImageName(preferred) === undefined ? preferred : `${VNODE_MODEL}-default`;
  const target = formatImageFullname(user, imageName);
  const messages: string[] = [];
  if ((await ctx.images.resolve(target)) === undefined) {
    await ctx.images.tag(target, digest);
    messages.push(`Default image for ${VNODE_MODEL} was saved as "${stripLatest(imageName)}" in your working set.`);
  }
  const { serverIp, prefix } = ctx.config.waltNet;
  const ip = lowestFreeIp(serverIp, prefix, new Set(all.flatMap((d) => (d.ip === null ? [] : [d.ip]))));
  if (ip === undefined) throw new WaltError("UNAVAILABLE", "Failed: no free IP address left on walt-net.");
  const mac = newVnodeMac(new Set(all.map((d) => d.mac)));
  await registerDevice(ctx, { mac, ip, type: "node", model: VNODE_MODEL, virtual: true, name, image: target });
  await netboot.sync();
  netboot.observer.serverStartedBoot(mac, "virtual node created", false);
  netboot.vnodes.ensure(mac, false);
  messages.push(`Node ${name} is now booting your image "${stripLatest(imageName)}".`, `Use \`walt node boot ${name} <other-image>\` if needed.`);
  return { messages };
}

export async function removeVnode(ctx: ServerContext, user: string, name: string, force: boolean): Promise<void> {
  const repo = new DeviceRepo(ctx.db);
  const d = await repo.byName(name);
  if (d === undefined) throw notFound(`No device with name '${name}' found.`);
  if (d.type !== "node") throw usageError(`${name} is not a node, it is a ${d.type}.`);
  if (!d.virtual) throw usageError(`FAILED: ${name} is a real node (not virtual).`);
  requireOwnedOrFree([d], user, force);
  await ctx.netboot?.vnodes.remove(d.mac);
  await ctx.logs.flush();
  await repo.remove(d.mac);
  ctx.logs.forgetIssuer(d.mac);
  ctx.status.forget(d.mac);
  ctx.netboot?.observer.forget(d.mac);
  await platformLog(ctx, "devices", `forgot device ${name} mac=${d.mac}`);
  await ctx.netboot?.sync();
}

/**
 * Server-internal device registration (WALT `add_or_update_device`, §3.3): used by DHCP later and by
 * tests now. It is a function, not an HTTP endpoint: nothing outside the server process can call it.
 */
import type { ServerContext } from "../context.ts";
import type { DeviceType } from "../db/schema.ts";
import { DeviceRepo, type DeviceWithNode } from "./repo.ts";
import { defaultImageFullname } from "../../src/domain/image-name.ts";
import { normalizeMac } from "../../src/domain/net.ts";
import { platformLog } from "../logs/platform.ts";
import { usageError } from "../../src/errors.ts";

export interface Registration {
  mac: string;
  ip?: string | null | undefined;
  type: DeviceType;
  model?: string | null | undefined;
  virtual?: boolean | undefined;
  /** A name proposal (e.g. DHCP client hostname); cleaned and used only if valid and free. */
  name?: string | undefined;
  /** Image fullname for a new node; its model's default image otherwise. */
  image?: string | undefined;
}

const VALID_NAME = /^[a-zA-Z][a-zA-Z0-9-]+$/;

/** Clean a proposed name as WALT does: part before the first dot, runs of other chars become '-'. */
export function cleanProposedName(name: string): string {
  return (name.split(".")[0] ?? "").replace(/[^a-zA-Z0-9-]+/g, "-");
}

/** `<type>-<last 6 hex digits of the MAC>`, then `-2`, `-3`… until unused. */
export function generatedName(type: string, mac: string, taken: ReadonlySet<string>): string {
  const base = `${type}-${mac.replace(/:/g, "").slice(-6).toLowerCase()}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Insert a new device, or update a known one (unknown → known type, missing IP). Returns the row. */
export async function registerDevice(ctx: ServerContext, reg: Registration): Promise<DeviceWithNode> {
  const repo = new DeviceRepo(ctx.db);
  const mac = normalizeMac(reg.mac);
  if (mac === undefined) throw usageError(`Invalid MAC address '${reg.mac}'.`);
  const all = await repo.all();
  const existing = all.find((d) => d.mac === mac);
  const taken = new Set(all.map((d) => d.name));
  if (existing) return updateKnown(ctx, repo, existing, reg, taken);

  const proposal = reg.name === undefined ? "" : cleanProposedName(reg.name);
  const name =
    reg.type === "server"
      ? "walt-server"
      : VALID_NAME.test(proposal) && !taken.has(proposal)
        ? proposal
        : generatedName(reg.type, mac, taken);
  await repo.insert({
    mac,
    ip: reg.ip ?? null,
    name,
    type: reg.type,
    model: reg.model ?? null,
    virtual: reg.virtual ?? false,
    createdUs: ctx.clock.nowUs(),
  });
  if (reg.type === "node") {
    await repo.setNode(mac, reg.image ?? defaultImageFullname(reg.model ?? "unknown"));
  }
  if (reg.type !== "server") {
    await platformLog(ctx, "devices", newDeviceLine(reg.type, name, reg.model ?? null, mac, reg.ip ?? null, false));
  }
  const row = await repo.byMac(mac);
  if (!row) throw new Error(`device ${mac} vanished after insert`);
  return row;
}

async function updateKnown(
  ctx: ServerContext,
  repo: DeviceRepo,
  d: DeviceWithNode,
  reg: Registration,
  taken: Set<string>,
): Promise<DeviceWithNode> {
  const patch: Parameters<DeviceRepo["update"]>[1] = {};
  if (!d.ip && reg.ip) patch.ip = reg.ip;
  const becameKnown = d.type === "unknown" && reg.type !== "unknown";
  if (becameKnown) {
    patch.type = reg.type;
    patch.model = reg.model ?? d.model;
    if (d.name.includes("unknown")) {
      taken.delete(d.name);
      patch.name = generatedName(reg.type, d.mac, taken);
    }
  }
  if (Object.keys(patch).length) await repo.update(d.mac, patch);
  if (becameKnown) {
    if (reg.type === "node") await repo.setNode(d.mac, reg.image ?? defaultImageFullname(reg.model ?? "unknown"));
    const line = newDeviceLine(reg.type, patch.name ?? d.name, reg.model ?? null, d.mac, patch.ip ?? d.ip, true);
    await platformLog(ctx, "devices", line);
  }
  const row = await repo.byMac(d.mac);
  if (!row) throw new Error(`device ${d.mac} vanished after update`);
  return row;
}

/** WALT's equipment log line (stream platform.devices). */
export function newDeviceLine(type: DeviceType, name: string, model: string | null, mac: string, ip: string | null, wasUnknown: boolean): string {
  const kind = type === "node" || type === "switch" ? type : "device";
  const prev = wasUnknown ? " (device type previously unknown)" : "";
  const detail = type === "node" ? ` model=${model ?? ""}` : type === "switch" ? "" : ` type=${type}`;
  return `new ${kind}${prev} name=${name}${detail} mac=${mac} ip=${ip ?? ""}`;
}

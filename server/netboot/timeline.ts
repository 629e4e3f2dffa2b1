/**
 * Boot timelines: per node, the last few boots with what happened and when (DHCP, boot files served, kernel
 * fetched, root mounted, agent steps, booted). No peer keeps this; it answers "where is my node stuck?".
 *
 * Kept in memory (a node boots again after a server restart anyway, WALT §3.10); the interesting events are also
 * WALT log lines (stream `walt-init` of the node), so history survives in `walt log show`.
 */
import type { Clock } from "../../src/clock.ts";

export type TimelineKind = "boot-start" | "dhcp" | "boot-file" | "kernel" | "root-mounted" | "step" | "nbd" | "booted" | "error";

export interface TimelineEvent {
  atUs: number;
  kind: TimelineKind;
  detail: string;
  /** Bytes served for this event (boot files, kernel + initrd). */
  bytes?: number;
}

export interface BootRecord {
  startUs: number;
  /** Why this boot started (`image change`, `reboot requested`, `vnode start`, `node restarted`…). */
  cause: string;
  /** The image the node was set to boot when this boot started. */
  image: string | null;
  events: TimelineEvent[];
  /** When the node reported it was booted. */
  bootedUs: number | null;
  /** Bytes the server sent for this boot over TFTP/HTTP and to qemu (boot files; NFS is not counted here). */
  bytes: number;
}

/** Boots kept per node, newest last. */
export const BOOTS_KEPT = 3;
/** Events kept per boot (a looping failure must not grow memory). */
const EVENTS_KEPT = 200;

export class BootTimelines {
  private readonly boots = new Map<string, BootRecord[]>();

  constructor(
    private readonly clock: Clock,
    /** Image of a node now, for records started by an event. */
    private readonly imageOf: (mac: string) => string | null = () => null,
  ) {}

  /** Start a new boot record. */
  begin(mac: string, cause: string, image: string | null = this.imageOf(mac), atUs = this.clock.nowUs()): BootRecord {
    const list = this.boots.get(mac) ?? [];
    const record: BootRecord = { startUs: atUs, cause, image, events: [{ atUs, kind: "boot-start", detail: cause }], bootedUs: null, bytes: 0 };
    list.push(record);
    if (list.length > BOOTS_KEPT) list.splice(0, list.length - BOOTS_KEPT);
    this.boots.set(mac, list);
    return record;
  }

  /** The current boot of a node (started with cause `unknown` when there is none). */
  current(mac: string): BootRecord {
    return this.boots.get(mac)?.at(-1) ?? this.begin(mac, "unknown");
  }

  /** Whether the current boot went past the boot loader stage (the agent reported, or it booted). */
  pastBootloader(mac: string): boolean {
    const r = this.boots.get(mac)?.at(-1);
    return r !== undefined && (r.bootedUs !== null || r.events.some((e) => e.kind === "step" || e.kind === "root-mounted"));
  }

  /** Add an event to the current boot. */
  add(mac: string, kind: TimelineKind, detail: string, opts: { bytes?: number; atUs?: number } = {}): TimelineEvent {
    const r = this.current(mac);
    const e: TimelineEvent = { atUs: opts.atUs ?? this.clock.nowUs(), kind, detail };
    if (opts.bytes !== undefined) {
      e.bytes = opts.bytes;
      r.bytes += opts.bytes;
    }
    if (kind === "booted" && r.bootedUs === null) r.bootedUs = e.atUs;
    r.events.push(e);
    if (r.events.length > EVENTS_KEPT) r.events.splice(1, r.events.length - EVENTS_KEPT);
    return e;
  }

  /** Every boot kept for a node, oldest first. */
  get(mac: string): readonly BootRecord[] {
    return this.boots.get(mac) ?? [];
  }

  forget(mac: string): void {
    this.boots.delete(mac);
  }
}

/**
 * Root exports held on a node's previous image. `walt node boot` switches a running node to another image, then
 * asks the node to reboot itself (soft reboot): the node's service, its reboot command and, on a systemd image,
 * the whole orderly shutdown still run from the old root over NFS. So the node's root export keeps the old image
 * (and its /persist export, which follows the image's owner) until the node starts booting again (its VM
 * restarts, or it asks DHCP for an address), while its boot tree already points to the new image. WALT does the
 * same by keeping the old image exported for a while.
 *
 * Kept in a file too (<dataDir>/held-roots.json): a server restarted between `walt node boot` and the node's reboot
 * must still export what a running physical node runs from, not pull its root from under it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
export interface HeldRoot {
  /** The served root the export keeps. */
  path: string;
  /** Its image digest, kept mounted while held. */
  digest: string;
  /** The node's /persist directory then (it moves when the new image has another owner). */
  persist?: string;
}

const isHeld = (v: unknown): v is HeldRoot => {
  const h = v as Partial<HeldRoot> | null;
  return typeof h?.path === "string" && typeof h.digest === "string" && (h.persist === undefined || typeof h.persist === "string");
};

export class HeldRoots {
  private readonly byMac = new Map<string, HeldRoot>();

  /** With `file`, what it holds is loaded now and saved on every change; an unreadable file holds nothing. */
  constructor(private readonly file?: string) {
    if (file === undefined || !existsSync(file)) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      for (const [mac, h] of Object.entries(saved)) if (isHeld(h)) this.byMac.set(mac, { path: h.path, digest: h.digest, ...(h.persist === undefined ? {} : { persist: h.persist }) });
    } catch {
      // A damaged file: the nodes' exports follow their images, as without holds.
    }
  }

  private save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.byMac), null, 1));
    renameSync(tmp, this.file);
  }

  /** Keep `mac`'s export on `root`; a node switched twice before restarting keeps the first (what it runs). */
  hold(mac: string, root: HeldRoot): void {
    if (this.byMac.has(mac)) return;
    this.byMac.set(mac, root);
    this.save();
  }

  get(mac: string): HeldRoot | undefined {
    return this.byMac.get(mac);
  }

  /** The node restarts: true when an export was held (it must follow the node's image again). */
  release(mac: string): boolean {
    const had = this.byMac.delete(mac);
    if (had) this.save();
    return had;
  }

  /** Forget the nodes not in `macs` (removed). */
  retain(macs: ReadonlySet<string>): void {
    const before = this.byMac.size;
    for (const mac of [...this.byMac.keys()]) if (!macs.has(mac)) this.byMac.delete(mac);
    if (this.byMac.size !== before) this.save();
  }

  /** Digests that must stay served. */
  digests(): string[] {
    return [...this.byMac.values()].map((h) => h.digest);
  }

  /** Held nodes, with what they hold. */
  entries(): [string, HeldRoot][] {
    return [...this.byMac];
  }
}

/**
 * Root exports held on a node's previous image. `walt node boot` switches a running node to another image, then
 * asks the node to reboot itself (soft reboot): the node's service, its reboot command and, on a systemd image,
 * the whole orderly shutdown still run from the old root over NFS. So the node's root export keeps the old image
 * (and its /persist export, which follows the image's owner) until the node starts booting again (its VM
 * restarts, or it asks DHCP for an address), while its boot tree already points to the new image. WALT does the
 * same by keeping the old image exported for a while.
 */
export interface HeldRoot {
  /** The served root the export keeps. */
  path: string;
  /** Its image digest, kept mounted while held. */
  digest: string;
  /** The node's /persist directory then (it moves when the new image has another owner). */
  persist?: string;
}

export class HeldRoots {
  private readonly byMac = new Map<string, HeldRoot>();

  /** Keep `mac`'s export on `root`; a node switched twice before restarting keeps the first (what it runs). */
  hold(mac: string, root: HeldRoot): void {
    if (!this.byMac.has(mac)) this.byMac.set(mac, root);
  }

  get(mac: string): HeldRoot | undefined {
    return this.byMac.get(mac);
  }

  /** The node restarts: true when an export was held (it must follow the node's image again). */
  release(mac: string): boolean {
    return this.byMac.delete(mac);
  }

  /** Forget the nodes not in `macs` (removed). */
  retain(macs: ReadonlySet<string>): void {
    for (const mac of [...this.byMac.keys()]) if (!macs.has(mac)) this.byMac.delete(mac);
  }

  /** Digests that must stay served. */
  digests(): string[] {
    return [...this.byMac.values()].map((h) => h.digest);
  }
}

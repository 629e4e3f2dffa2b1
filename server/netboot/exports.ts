/**
 * NFS exports of the boot tree (docs/netboot.md): per node, its image's served root read-only at the pseudo
 * path `/var/lib/walt/nodes/<mac>/fs` (what the image's start.ipxe puts on the kernel command line), and its
 * persist directory read-write at `/var/lib/walt/nodes/<mac>/persist`.
 *
 * nfs-ganesha reloads exports on SIGHUP but refuses, measured with 4.3, both a new Path for an existing
 * Export_Id ("Path for export update doesn't match") and a new Export_Id for a pseudo path still exported
 * ("Pseudo path is a duplicate") — and drops the export in both cases. So a pseudo path whose directory changes
 * gets a fresh id and the reload goes in two phases: first without it, then with it.
 */
import type { NfsExport } from "../nfs/ganesha-config.ts";

/** The pseudo root WALT's images name on their kernel command line. */
export const PSEUDO_NODES = "/var/lib/walt/nodes";

export interface WantedExport {
  path: string;
  pseudo: string;
  access: "RO" | "RW";
}

export const rootPseudo = (mac: string): string => `${PSEUDO_NODES}/${mac}/fs`;
export const persistPseudo = (mac: string): string => `${PSEUDO_NODES}/${mac}/persist`;

/** Export ids that stay stable while an export's path does not change. */
export class ExportIds {
  private readonly byPseudo = new Map<string, NfsExport>();
  private next = 1;

  /**
   * The phases of a reload towards `wanted`: each is a full export list to apply in order. One phase when no
   * export changes its path; two otherwise (the first drops the changed ones).
   */
  plan(wanted: readonly WantedExport[]): NfsExport[][] {
    const final: NfsExport[] = [];
    let changed = false;
    const seen = new Set<string>();
    for (const w of [...wanted].sort((a, b) => (a.pseudo < b.pseudo ? -1 : 1))) {
      if (seen.has(w.pseudo)) continue;
      seen.add(w.pseudo);
      const old = this.byPseudo.get(w.pseudo);
      if (old !== undefined && old.path === w.path && old.access === w.access) {
        final.push(old);
        continue;
      }
      if (old !== undefined) changed = true;
      const e: NfsExport = { id: this.next++, path: w.path, pseudo: w.pseudo, access: w.access };
      final.push(e);
    }
    const unchanged = final.filter((e) => this.byPseudo.get(e.pseudo)?.id === e.id);
    this.byPseudo.clear();
    for (const e of final) this.byPseudo.set(e.pseudo, e);
    return changed ? [unchanged, final] : [final];
  }

  current(): NfsExport[] {
    return [...this.byPseudo.values()];
  }
}

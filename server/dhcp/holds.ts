/**
 * Short-lived address reservations kept in memory by a backend: an address offered to a new MAC is held for
 * it until it REQUESTs (so two clients booting together are not offered the same one), and an address a
 * client DECLINEd (RFC 2131 §4.3.3: "in use") is not offered for a while. Nothing here needs to survive a
 * restart: clients simply DISCOVER again.
 */
import type { Clock } from "../../src/clock.ts";

export interface HoldTimes {
  /** How long an offered address stays reserved for its MAC. */
  offerUs: number;
  /** How long a declined address is left alone (dnsmasq uses 10 minutes). */
  declineUs: number;
}

export const DEFAULT_HOLD_TIMES: HoldTimes = { offerUs: 120_000_000, declineUs: 600_000_000 };

export class AddressHolds {
  private readonly offers = new Map<string, { ip: string; untilUs: number }>();
  private readonly declined = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly times: HoldTimes = DEFAULT_HOLD_TIMES,
  ) {}

  /** The address currently held for `mac`, if any. */
  heldFor(mac: string): string | undefined {
    this.expire();
    return this.offers.get(mac)?.ip;
  }

  /** Addresses that must not be offered to `mac`: held for other MACs, or declined recently. */
  unavailableFor(mac: string): Set<string> {
    this.expire();
    const out = new Set(this.declined.keys());
    for (const [m, h] of this.offers) if (m !== mac) out.add(h.ip);
    return out;
  }

  hold(mac: string, ip: string): void {
    this.offers.set(mac, { ip, untilUs: this.clock.nowUs() + this.times.offerUs });
  }

  drop(mac: string): void {
    this.offers.delete(mac);
  }

  decline(mac: string, ip: string): void {
    this.offers.delete(mac);
    this.declined.set(ip, this.clock.nowUs() + this.times.declineUs);
  }

  private expire(): void {
    const now = this.clock.nowUs();
    for (const [m, h] of this.offers) if (h.untilUs <= now) this.offers.delete(m);
    for (const [ip, until] of this.declined) if (until <= now) this.declined.delete(ip);
  }
}

import { describe, expect, test } from "bun:test";
import { manualClock } from "../../src/clock.ts";
import { BOOTS_KEPT, BootTimelines } from "./timeline.ts";

const MAC = "52:54:00:00:00:01";

describe("boot timelines", () => {
  test("a boot collects events with times and bytes; booted is stamped once", () => {
    const clock = manualClock(1_000);
    const t = new BootTimelines(clock, () => "alice/img:latest");
    t.begin(MAC, "reboot requested");
    clock.advance(10);
    t.add(MAC, "dhcp", "ack 192.168.152.2");
    t.add(MAC, "kernel", "emulated iPXE kernel", { bytes: 8_000 });
    t.add(MAC, "boot-file", "emulated iPXE initrd", { bytes: 2_000 });
    // The previous boot's NBD swap connection dropping now does not move this boot past its bootloader.
    t.add(MAC, "nbd", "swap export swap-16G disconnected, its file removed");
    expect(t.pastBootloader(MAC)).toBe(false);
    t.add(MAC, "root-mounted", "x");
    expect(t.pastBootloader(MAC)).toBe(true);
    clock.advance(5);
    t.add(MAC, "booted", "y");
    t.add(MAC, "booted", "z");
    const [boot] = t.get(MAC);
    expect(boot).toMatchObject({ startUs: 1_000, cause: "reboot requested", image: "alice/img:latest", bytes: 10_000, bootedUs: 1_015 });
    expect(boot?.events.map((e) => e.kind)).toEqual(["boot-start", "dhcp", "kernel", "boot-file", "nbd", "root-mounted", "booted", "booted"]);
  });

  test("events without a boot start one with cause unknown; only the last boots are kept", () => {
    const t = new BootTimelines(manualClock(0));
    t.add(MAC, "dhcp", "offer");
    expect(t.get(MAC)[0]?.cause).toBe("unknown");
    for (let i = 0; i < BOOTS_KEPT + 2; i++) t.begin(MAC, `boot ${i}`);
    expect(t.get(MAC)).toHaveLength(BOOTS_KEPT);
    expect(t.get(MAC).at(-1)?.cause).toBe(`boot ${BOOTS_KEPT + 1}`);
    t.forget(MAC);
    expect(t.get(MAC)).toEqual([]);
  });
});

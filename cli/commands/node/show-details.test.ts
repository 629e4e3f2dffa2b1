import { describe, expect, test } from "bun:test";
import type { BootRecord, TimelineEvent } from "../../../src/api/nodes.ts";
import { fixedUtcOffset } from "../../../src/text/local-time.ts";
import { bootState, humanSize, offsetText, renderBoot, renderDetails } from "./show-details.ts";

const UTC = fixedUtcOffset(0);
/** 2024-05-01 12:00:00 UTC. */
const T0 = 1_714_564_800_000_000;
const ev = (s: number, kind: TimelineEvent["kind"], detail: string, bytes?: number): TimelineEvent => ({ atUs: T0 + Math.round(s * 1e6), kind, detail, ...(bytes === undefined ? {} : { bytes }) });

function record(events: TimelineEvent[], bootedUs: number | null = null): BootRecord {
  const bytes = events.reduce((a, e) => a + (e.bytes ?? 0), 0);
  return { startUs: T0, cause: "reboot requested", image: "alice/pc-x86-64-default:latest", events, bootedUs, bytes };
}

const BOOTED = record(
  [
    ev(0, "boot-start", "reboot requested"),
    ev(0.04, "dhcp", "ack 192.168.152.10"),
    ev(1.2, "boot-file", "tftp start.ipxe", 1234),
    ev(3.4, "kernel", "tftp kernel", 8_100_000),
    ev(3.9, "kernel", "tftp initrd.img", 950_000),
    ev(9.5, "root-mounted", "image root mounted over NFS (the agent runs from it)"),
    ev(14.9, "booted", "the agent handed over to the image's init"),
  ],
  T0 + 14_900_000,
);

describe("sizes and offsets", () => {
  test("decimal units, one decimal below 100, whole numbers above", () => {
    expect([0, 999, 1000, 1234, 8_100_000, 123_456_789, 2_500_000_000].map(humanSize)).toEqual(["0 B", "999 B", "1.0 kB", "1.2 kB", "8.1 MB", "123 MB", "2.5 GB"]);
  });

  test("offsets are seconds from the boot start with one decimal, never negative", () => {
    expect(offsetText(T0, T0)).toBe("+0.0s");
    expect(offsetText(T0, T0 + 14_949_000)).toBe("+14.9s");
    expect(offsetText(T0, T0 - 5)).toBe("+0.0s");
  });
});

describe("renderBoot", () => {
  test("a booted node: header, aligned offset / kind / size / detail columns, boot time and bytes served", () => {
    expect(renderBoot("vn1", BOOTED, UTC)).toBe(
      [
        "vn1: image alice/pc-x86-64-default, cause: reboot requested, started 2024-05-01 12:00:00",
        "     +0.0s  boot-start            reboot requested",
        "     +0.0s  dhcp                  ack 192.168.152.10",
        "     +1.2s  boot-file     1.2 kB  tftp start.ipxe",
        "     +3.4s  kernel        8.1 MB  tftp kernel",
        "     +3.9s  kernel        950 kB  tftp initrd.img",
        "     +9.5s  root-mounted          image root mounted over NFS (the agent runs from it)",
        "    +14.9s  booted                the agent handed over to the image's init",
        "    booted in 14.9s, 9.1 MB served (boot files, kernel, initrd)",
      ].join("\n"),
    );
  });

  test("a failed boot says why, and what would get it going again", () => {
    const failed = record([ev(0, "boot-start", "virtual node created"), ev(0.3, "error", "image alice/x has no kernel for model pc-x86-64")]);
    const lines = renderBoot("vn1", failed, UTC).split("\n");
    expect(lines.slice(1, -2)).toEqual(["    +0.0s  boot-start  virtual node created", "    +0.3s  error       image alice/x has no kernel for model pc-x86-64"]);
    expect(lines.at(-2)).toBe("    boot FAILED at 0.3s (the error above), 0 B served (boot files, kernel, initrd)");
    expect(lines.at(-1)).toBe("    waiting for a retry, `walt node reboot`, or `walt node boot` with a compatible image");
  });
});

describe("bootState: what a pending boot waits for, from the furthest stage reached", () => {
  const cases: [string, TimelineEvent[], string][] = [
    ["nothing yet", [ev(0, "boot-start", "x")], "the node's first DHCP request (a virtual node: its VM start)"],
    ["an offer only", [ev(0, "boot-start", "x"), ev(1, "dhcp", "offer 192.168.152.2")], "the DHCP exchange to complete (request, ack)"],
    ["an ack", [ev(0, "boot-start", "x"), ev(1, "dhcp", "ack 192.168.152.2")], "the bootloader to fetch its boot files (TFTP or HTTP)"],
    ["a boot file", [ev(0, "boot-start", "x"), ev(1, "boot-file", "http start.ipxe", 10)], "the bootloader to fetch the kernel and initrd"],
    ["the kernel", [ev(0, "boot-start", "x"), ev(1, "kernel", "http kernel", 10)], "the kernel to mount the image root over NFS and start the agent"],
    ["an agent step", [ev(0, "boot-start", "x"), ev(1, "root-mounted", "r"), ev(2, "step", "swap: skipped, no nbd-client")], "the agent's hand-over to the image's init (last: swap: skipped, no nbd-client)"],
  ];
  test.each(cases)("%s", (_name, events, waiting) => {
    expect(bootState(record(events))).toEqual({ failed: null, waitingFor: waiting });
  });

  test("a booted node waits for nothing; an error after a later retry step no longer counts as failed", () => {
    expect(bootState(BOOTED)).toBeNull();
    const recovered = record([ev(0, "boot-start", "x"), ev(1, "error", "tftp kernel: timeout"), ev(2, "kernel", "tftp kernel", 5)]);
    expect(bootState(recovered)?.failed).toBeNull();
    expect(bootState(record([ev(0, "boot-start", "x"), ev(1, "error", "no kernel")]))?.failed).toBe("no kernel");
  });
});

describe("renderDetails", () => {
  test("a titled section with one block per node, the latest boot only; a node without records says so", () => {
    const older = { ...record([ev(0, "boot-start", "power cycle")]), cause: "power cycle" };
    const out = renderDetails([{ name: "vn1", boots: [older, BOOTED] }, { name: "rpi1", boots: [] }], UTC);
    expect(out).toStartWith("\n\x1b[1mLatest boot of each node:\n\x1b[0m\nvn1: image alice/pc-x86-64-default, cause: reboot requested");
    expect(out).not.toContain("power cycle");
    expect(out).toEndWith("\n\nrpi1: no boot recorded since the server started (or no network boot on this server)\n\n");
    expect(renderDetails([], UTC)).toBe("");
  });
});

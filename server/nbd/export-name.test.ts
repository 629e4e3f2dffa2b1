import { describe, expect, test } from "bun:test";
import { GiB, MiB, exportNameFor, resolveExportName } from "./export-name.ts";

const limits = { defaultBytes: 16 * GiB, maxBytes: 16 * GiB };

describe("nbd export names", () => {
  test("swap-1G is 1 GiB, not 16 GiB (WALT's regex bug, Appendix A.4, fixed on purpose)", () => {
    expect(resolveExportName("swap-1G", limits)).toEqual({ ok: true, name: "swap-1G", size: GiB });
  });

  test.each([
    ["swap-16G", 16 * GiB],
    ["swap-512M", 512 * MiB],
    ["swap", 16 * GiB],
    ["", 16 * GiB],
  ])("%p resolves to %d bytes", (name, size) => {
    const r = resolveExportName(name, limits);
    expect(r.ok && r.size).toBe(size);
  });

  test("a size above the maximum is refused by policy, with both sizes in the message", () => {
    expect(resolveExportName("swap-17G", limits)).toEqual({
      ok: false,
      reply: "policy",
      message: 'Export "swap-17G" asks for 17 GiB, more than the 16 GiB this server allows.',
    });
  });

  test.each(["swap-0G", "swap-", "swap-1T", "swap-1g", "swap-01", "disk", "swap-12345678G", "../swap"])("%p is an unknown export", (name) => {
    const r = resolveExportName(name, limits);
    expect(r.ok ? "ok" : r.reply).toBe("unknown");
  });

  test("names for sizes round to whole units", () => {
    expect([exportNameFor(16 * GiB), exportNameFor(512 * MiB), exportNameFor(GiB + MiB)]).toEqual(["swap-16G", "swap-512M", "swap-1025M"]);
  });
});

import { describe, expect, test } from "bun:test";
import { ExportIds, persistPseudo, rootPseudo } from "./exports.ts";

const MAC = "52:54:00:00:00:01";

describe("NFS export ids and reload phases", () => {
  test("pseudo paths are the ones WALT's images put on the kernel command line", () => {
    expect(rootPseudo(MAC)).toBe("/var/lib/walt/nodes/52:54:00:00:00:01/fs");
    expect(persistPseudo(MAC)).toBe("/var/lib/walt/nodes/52:54:00:00:00:01/persist");
  });

  test("unchanged exports keep their ids and reload in one phase", () => {
    const ids = new ExportIds();
    const first = ids.plan([{ pseudo: rootPseudo(MAC), path: "/d/a", access: "RO" }]);
    expect(first).toEqual([[{ id: 1, pseudo: rootPseudo(MAC), path: "/d/a", access: "RO" }]]);
    const again = ids.plan([
      { pseudo: rootPseudo(MAC), path: "/d/a", access: "RO" },
      { pseudo: persistPseudo(MAC), path: "/d/p", access: "RW" },
    ]);
    expect(again).toHaveLength(1);
    expect(again[0]?.find((e) => e.pseudo === rootPseudo(MAC))?.id).toBe(1);
  });

  test("a pseudo path whose directory changes gets a new id, after a phase without it (ganesha refuses both in one)", () => {
    const ids = new ExportIds();
    ids.plan([
      { pseudo: rootPseudo(MAC), path: "/d/a", access: "RO" },
      { pseudo: persistPseudo(MAC), path: "/d/p", access: "RW" },
    ]);
    const phases = ids.plan([
      { pseudo: rootPseudo(MAC), path: "/d/b", access: "RO" },
      { pseudo: persistPseudo(MAC), path: "/d/p", access: "RW" },
    ]);
    expect(phases).toHaveLength(2);
    expect(phases[0]?.map((e) => e.pseudo)).toEqual([persistPseudo(MAC)]);
    const changed = phases[1]?.find((e) => e.pseudo === rootPseudo(MAC));
    expect(changed?.path).toBe("/d/b");
    expect(changed?.id).toBeGreaterThan(2);
    expect(ids.current()).toHaveLength(2);
  });

  test("removed exports simply disappear; duplicates of a pseudo path keep the first", () => {
    const ids = new ExportIds();
    ids.plan([{ pseudo: rootPseudo(MAC), path: "/d/a", access: "RO" }]);
    expect(ids.plan([])).toEqual([[]]);
    expect(
      ids.plan([
        { pseudo: "/x", path: "/1", access: "RO" },
        { pseudo: "/x", path: "/2", access: "RO" },
      ])[0],
    ).toHaveLength(1);
  });
});

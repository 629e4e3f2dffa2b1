import { describe, expect, test } from "bun:test";
import { ganeshaConfig } from "./ganesha-config.ts";

describe("nfs-ganesha configuration", () => {
  test("exports image roots read-only and persist dirs read-write over NFSv4, without rpcbind", () => {
    const c = ganeshaConfig(
      [
        { id: 1, path: "/var/lib/walt/images/rootfs/abc", pseudo: "/images/abc", access: "RO" },
        { id: 2, path: "/var/lib/walt/persist/alice", pseudo: "/persist/alice", access: "RW" },
      ],
      { bindAddr: "192.168.152.1", recoveryDir: "/var/lib/walt/nfs/recovery", nfsv3: false },
    );
    expect(c).toContain("Bind_addr = 192.168.152.1;");
    expect(c.match(/Protocols = 4;/g)?.length).toBe(3);
    expect(c).not.toContain("MNT_Port");
    expect(c).toMatch(/Export_Id = 1;\n\s+Path = "\/var\/lib\/walt\/images\/rootfs\/abc";\n\s+Pseudo = "\/images\/abc";\n\s+Access_Type = RO;/);
    expect(c).toMatch(/Export_Id = 2;[\s\S]*Access_Type = RW;/);
    expect(c).toContain("Graceless = true;");
    // Nodes have no idmapd: named owners would show every file as uid 4294967294 there.
    expect(c).toContain("Only_Numeric_Owners = true;");
  });

  test("with NFSv3: MOUNT on its fixed port, v3 mounts by pseudo path, core and exports speak 3 and 4", () => {
    const c = ganeshaConfig([{ id: 1, path: "/srv/a", pseudo: "/var/lib/walt/nodes/m/fs", access: "RO" }], { bindAddr: "192.168.152.1", recoveryDir: "/r", nfsv3: true });
    expect(c.match(/Protocols = 3, 4;/g)?.length).toBe(2);
    expect(c).toContain("MNT_Port = 20048;");
    expect(c).toContain("mount_path_pseudo = true;");
    expect(c).toContain("Enable_UDP = false;");
    expect(c).toContain("Enable_NLM = false;");
  });

  test("paths that could break the configuration syntax are refused", () => {
    expect(() => ganeshaConfig([{ id: 1, path: '/x"; }', pseudo: "/x", access: "RO" }], { bindAddr: "1.2.3.4", recoveryDir: "/r", nfsv3: true })).toThrow("unsupported character");
  });
});

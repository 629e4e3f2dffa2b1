import { describe, expect, test } from "bun:test";
import { DEFAULT_CONFIG, type AgentConfig } from "../context.ts";
import { FakeSys } from "../sys/fake.ts";
import { CMDLINE, fakeContext, initramfsBootEnv, MAC, PERSIST, SERVER } from "../testing.ts";
import { cmdlineStep, parseBootEnv, parseCmdline, splitCmdline } from "./cmdline.ts";

const defaults = { ...DEFAULT_CONFIG, warnings: [] };

describe("kernel command line", () => {
  const cases: [string, Partial<AgentConfig>][] = [
    ["", {}],
    ["console=ttyS0 quiet", {}],
    [`walt.server=${SERVER}`, { server: SERVER }],
    [`walt.server=${SERVER} walt.server=10.0.0.1`, { server: "10.0.0.1" }],
    ["walt.root=/var/lib/walt/nodes/x/fs walt.persist=/p", { root: "/var/lib/walt/nodes/x/fs", persist: "/p" }],
    ["walt.persist=", {}],
    ["walt.mac=52:54:00:AB:CD:EF", { mac: "52:54:00:ab:cd:ef" }],
    ["walt.mac=${mac}", { warnings: ["ignored walt.mac=${mac}"] }],
    ["walt.hostname=vnode-1 walt.model=pc-x86-64 walt.image=abc123", { hostname: "vnode-1", model: "pc-x86-64", image: "abc123" }],
    ["walt.init=/lib/systemd/systemd", { init: "/lib/systemd/systemd" }],
    ["walt.init=systemd", { warnings: ["ignored walt.init=systemd"] }],
    ["walt.rwsize=256M", { rwsize: "256M" }],
    ["walt.rwsize=lots", { warnings: ["ignored walt.rwsize=lots"] }],
    ["walt.swap=512M", { swap: "512M" }],
    ["walt.swap=16", { warnings: ["ignored walt.swap=16"] }],
    ["walt.panic_delay=0", { panicDelayS: 0 }],
    ["walt.panic_delay=-1", { warnings: ["ignored walt.panic_delay=-1"] }],
    ["walt.debug=1", { debug: true }],
    ["walt.debug=0", {}],
    ["walt.unknown=1 walt.Server=x walt.server", {}],
    ['walt.hostname="node one" walt.model=x', { hostname: "node one", model: "x" }],
  ];
  test.each(cases)("%p gives the expected settings", (text, expected) => {
    expect(parseCmdline(text)).toEqual({ ...defaults, ...expected });
  });

  test("WALT's iPXE command line gives server, MAC, root and persist", () => {
    expect(parseCmdline(CMDLINE)).toMatchObject({ server: SERVER, mac: MAC, persist: PERSIST, init: "/sbin/init", panicDelayS: 15 });
  });

  test("splits on blanks but keeps double-quoted values whole", () => {
    expect(splitCmdline(' a  b="c d"e\tf\n')).toEqual(["a", "b=c de", "f"]);
  });

  test("reads the initramfs's boot.env, quotes stripped, junk ignored", () => {
    expect(parseBootEnv("server='10.0.0.1'\nmac=''\njunk\nx='a b'\n")).toEqual({ server: "10.0.0.1", mac: "", x: "a b" });
  });
});

describe("cmdline step", () => {
  test("behind the initramfs, takes the server, MAC and persist path from boot.env when the command line has none", async () => {
    const sys = new FakeSys({ "/proc/cmdline": "console=ttyS0", "/run/walt/boot.env": initramfsBootEnv(true) });
    const ctx = fakeContext(sys, { lower: "" });
    const r = await cmdlineStep.run(ctx);
    expect(r).toEqual({ status: "ok", detail: `server ${SERVER}, mac ${MAC}; handed over by the initramfs` });
    expect(ctx.state).toMatchObject({ layout: "initramfs", lower: "/run/walt/lower", config: { server: SERVER, mac: MAC, persist: PERSIST } });
  });

  test("falls back to the DHCP next-server, then the DHCP server", async () => {
    const sys = new FakeSys({ "/proc/cmdline": "", "/run/walt/boot.env": "siaddr='10.0.0.2'\nserverid='10.0.0.3'\n" });
    const ctx = fakeContext(sys);
    await cmdlineStep.run(ctx);
    expect(ctx.state.config.server).toBe("10.0.0.2");
  });

  test("prints the ignored values and fails without a server address", async () => {
    const ctx = fakeContext(new FakeSys({ "/proc/cmdline": "walt.swap=lots" }));
    const failure = await cmdlineStep.run(ctx).then(() => new Error("expected a failure, got success"), (e: unknown) => e);
    expect(String(failure)).toBe("StepFailure: no WALT server address (walt.server= on the kernel command line)");
    expect(ctx.lines).toEqual(["walt-init: ignored walt.swap=lots"]);
  });
});

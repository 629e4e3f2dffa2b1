import { describe, expect, test } from "bun:test";
import { IpxeInterpreter } from "./script.ts";

const VARS = { mac: "52:54:00:12:34:56", ip: "192.168.152.10", "next-server": "192.168.152.1", hostname: "vn1", model: "pc-x86-64" };

function host(files: Record<string, string>, fetched: string[] = [], echoed: string[] = []) {
  return {
    fetchText: async (url: string) => {
      fetched.push(url);
      const f = files[url];
      if (f === undefined) throw new Error(`no such file ${url}`);
      return f;
    },
    echo: (l: string) => void echoed.push(l),
  };
}

describe("emulated iPXE bootloader", () => {
  test("boots the kernel, initrd and command line a WALT start.ipxe builds", async () => {
    const files = {
      "/start.ipxe": "#!ipxe\nset base tftp://${next-server}\nkernel kernel root=/dev/nfs ip=${ip} hostname=${hostname} BOOTIF=01-${mac:hexhyp}\ninitrd initrd\nboot\n",
    };
    const spec = await new IpxeInterpreter(host(files), VARS).run();
    expect(spec).toEqual({ kernel: "/kernel", initrd: "/initrd", cmdline: "root=/dev/nfs ip=192.168.152.10 hostname=vn1 BOOTIF=01-52-54-00-12-34-56" });
  });

  test("relative URLs resolve against the directory of the current script", async () => {
    const fetched: string[] = [];
    const files = { "/start.ipxe": "chain boot/pc-x86-64/next.ipxe\n", "/boot/pc-x86-64/next.ipxe": "kernel vmlinuz\ninitrd initrd.img\nboot\n" };
    const spec = await new IpxeInterpreter(host(files, fetched), VARS).run();
    expect(fetched).toEqual(["/start.ipxe", "/boot/pc-x86-64/next.ipxe"]);
    expect(spec?.kernel).toBe("/boot/pc-x86-64/vmlinuz");
    expect(spec?.initrd).toBe("/boot/pc-x86-64/initrd.img");
  });

  test("a failing chain falls back through ||, as WALT's scripts try HTTP then TFTP", async () => {
    const files = { "/start.ipxe": "chain http://${next-server}/boot/start-generic-2.ipxe || chain fallback.ipxe\n", "/fallback.ipxe": "boot k a=1\n" };
    const spec = await new IpxeInterpreter(host(files), VARS).run();
    expect(spec).toEqual({ kernel: "/k", initrd: undefined, cmdline: "a=1" });
  });

  test("a failure skips && and runs ||, and goto jumps to labels", async () => {
    const echoed: string[] = [];
    const files = { "/start.ipxe": "isset missing && echo never || echo unset\niseq ${model} pc-x86-64 && goto pc\necho not-pc\n:pc\necho pc ${hostname}\nkernel k\nboot\n" };
    await new IpxeInterpreter(host(files, [], echoed), VARS).run();
    expect(echoed).toEqual(["unset", "pc vn1"]);
  });

  test("reboot ends the script without a boot spec", async () => {
    expect(await new IpxeInterpreter(host({ "/start.ipxe": "reboot\n" }), VARS).run()).toBeUndefined();
  });

  test("an unknown directive aborts with WALT's message", async () => {
    expect(new IpxeInterpreter(host({ "/start.ipxe": "sanboot iscsi:x\n" }), VARS).run()).rejects.toThrow('[fake-ipxe] Unknown directive "sanboot". Aborted.');
  });

  test("a script that never boots is an error, and goto loops are bounded", async () => {
    expect(new IpxeInterpreter(host({ "/start.ipxe": "echo hi\n" }), VARS).run()).rejects.toThrow("ended without booting a kernel");
    expect(new IpxeInterpreter(host({ "/start.ipxe": ":a\ngoto a\n" }), VARS).run()).rejects.toThrow("runs too long");
  });
});

describe("emulated iPXE failure semantics", () => {
  test("a failing command without || ends the script, as in iPXE", async () => {
    const echoed: string[] = [];
    const files = { "/start.ipxe": "isset missing\necho after\nkernel k\nboot\n" };
    expect(new IpxeInterpreter(host(files, [], echoed), VARS).run()).rejects.toThrow("ended without booting a kernel");
    expect(echoed).toEqual([]);
  });
});

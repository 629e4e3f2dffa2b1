import { describe, expect, test } from "bun:test";
import { decodeUserClass, formatMessage, parseMessage, type DhcpMessage, type OutgoingMessage } from "./codec.ts";
import { encodeDomainSearch } from "./outgoing-options.ts";
import { MIN_PACKET_LEN, OPT } from "./options.ts";
import { loadDhcpFixture } from "../../test/helpers/dhcp-client.ts";

const parsed = (name: string): DhcpMessage => {
  const r = parseMessage(loadDhcpFixture(name));
  if (!r.ok) throw new Error(`${name}: ${r.reason}`);
  return r.value;
};

describe("dhcp codec on captured-style packets", () => {
  test("a legacy BIOS PXE ROM DISCOVER: PXE vendor class, arch 0, no user class", () => {
    const m = parsed("pxe-rom-discover");
    expect(m).toMatchObject({ op: 1, type: "DISCOVER", xid: 0x2a5c1b01, secs: 4, broadcast: true, chaddr: "52:54:00:12:34:56" });
    expect(m.vendorClass).toBe("PXEClient:Arch:00000:UNDI:002001");
    expect(m.clientArch).toBe(0);
    expect(m.userClass).toBeUndefined();
    expect(m.uuid?.length).toBe(17);
    expect(m.otherOptions).toEqual([OPT.CLIENT_NDI]);
  });

  test("a UEFI PXE DISCOVER announces arch 7", () => {
    const m = parsed("pxe-efi-discover");
    expect(m.clientArch).toBe(7);
    expect(m.vendorClass).toBe("PXEClient:Arch:00007:UNDI:003016");
  });

  test("the iPXE DISCOVER whose request list names 60 (fatal to npm dhcp's Server) decodes fully", () => {
    const m = parsed("ipxe-discover");
    expect(m.type).toBe("DISCOVER");
    expect(m.userClass).toBe("iPXE");
    expect(m.ipxeEncapsulated).toBe(true);
    expect(m.parameterList).toContain(OPT.VENDOR_CLASS);
    expect(m.parameterList).toContain(OPT.USER_CLASS);
    expect(m.parameterList).toContain(OPT.IPXE_ENCAP);
  });

  test("an iPXE REQUEST carries the server identifier and the requested address", () => {
    const m = parsed("ipxe-request");
    expect(m).toMatchObject({ type: "REQUEST", serverId: "192.168.152.1", requestedIp: "192.168.152.2", userClass: "iPXE" });
  });

  test("WALT's iPXE script: user class walt.node.<model> and a host name; a PAD before END is skipped", () => {
    const m = parsed("walt-node-discover");
    expect(m).toMatchObject({ userClass: "walt.node.pc-x86-64", hostname: "pc1", chaddr: "52:54:00:ab:cd:ef" });
  });

  test("a Raspberry Pi 4 bootloader DISCOVER: Pi OUI, PXE vendor class, broadcast bit clear", () => {
    const m = parsed("rpi-discover");
    expect(m).toMatchObject({ chaddr: "dc:a6:32:01:02:03", vendorClass: "PXEClient:Arch:00000:UNDI:002001", broadcast: false });
  });

  test.each([
    ["truncated-header", /truncated packet: 100 bytes/],
    ["option-overrun", /option 60 length 200 overruns/],
    ["bad-hardware-type", /unsupported hardware type/],
    ["garbage", /magic cookie/],
  ])("%s is refused with a reason, never thrown", (name, reason) => {
    const r = parseMessage(loadDhcpFixture(name));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  test("every prefix of a valid packet and random bytes give a result, never an exception", () => {
    const full = loadDhcpFixture("ipxe-request");
    for (let n = 0; n <= full.length; n++) expect(() => parseMessage(full.subarray(0, n))).not.toThrow();
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const b = Uint8Array.from({ length: 240 + (i % 80) }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      b.set([0x63, 0x82, 0x53, 0x63], 236);
      b.set([1, 1, 6], 0);
      expect(() => parseMessage(b)).not.toThrow();
    }
  });

  test("a PAD between options does not shift the next option (npm dhcp skips two bytes per PAD)", () => {
    const base = loadDhcpFixture("pxe-rom-discover");
    const padded = new Uint8Array(base.length + 1);
    padded.set(base.subarray(0, 243), 0); // header + option 53 (3 bytes)
    padded[243] = 0;
    padded.set(base.subarray(243), 244);
    const r = parseMessage(padded);
    expect(r.ok && r.value.clientArch).toBe(0);
    expect(r.ok && r.value.vendorClass).toBe("PXEClient:Arch:00000:UNDI:002001");
  });

  test("an option whose length does not fit its type is set aside, the rest decodes", () => {
    const base = loadDhcpFixture("ipxe-request");
    const i = Buffer.from(base).indexOf(Buffer.from([50, 4, 192, 168, 152, 2]), 240); // claim 3 bytes, drop one
    expect(i).toBeGreaterThan(240);
    const broken = Uint8Array.from([...base.subarray(0, i), 50, 3, 192, 168, 152, ...base.subarray(i + 6)]);
    const r = parseMessage(broken);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.requestedIp).toBeUndefined();
      expect(r.value.otherOptions).toContain(50);
      expect(r.value.serverId).toBe("192.168.152.1");
    }
  });
});

describe("dhcp codec, encoding", () => {
  const offer: OutgoingMessage = {
    op: 2,
    type: "OFFER",
    xid: 0xdeadbeef,
    flags: 0x8000,
    yiaddr: "192.168.152.2",
    siaddr: "192.168.152.1",
    chaddr: "52:54:00:12:34:56",
    file: "pxe/walt-x86-undionly.kpxe",
    options: {
      serverId: "192.168.152.1",
      subnetMask: "255.255.255.0",
      routers: ["192.168.152.1"],
      leaseTimeS: 6_000_000,
      hostname: "vnode1",
      domainName: "walt",
      domainSearch: ["walt"],
      vendorClass: "PXEClient",
      vendorSpecific: Uint8Array.from([9, 3, 0, 0, 0, 255]),
      tftpServer: "192.168.152.1",
      bootFile: "pxe/walt-x86-undionly.kpxe",
    },
  };

  test("round-trips through our decoder, option 53 first, padded to the BOOTP minimum", () => {
    const r = formatMessage(offer);
    if (!r.ok) throw new Error(r.reason);
    const b = r.value;
    expect(b.length).toBeGreaterThanOrEqual(MIN_PACKET_LEN);
    expect([...b.subarray(240, 243)]).toEqual([53, 1, 2]);
    const m = parseMessage(b);
    if (!m.ok) throw new Error(m.reason);
    expect(m.value).toMatchObject({ op: 2, type: "OFFER", xid: 0xdeadbeef, yiaddr: "192.168.152.2", siaddr: "192.168.152.1", file: "pxe/walt-x86-undionly.kpxe", hostname: "vnode1", vendorClass: "PXEClient", serverId: "192.168.152.1" });
  });

  test("domain search is RFC 3397 labels", () => {
    expect([...Buffer.from(encodeDomainSearch(["walt", "a.b"]), "latin1")]).toEqual([4, ...Buffer.from("walt"), 0, 1, 97, 1, 98, 0]);
    const r = formatMessage(offer);
    const b = r.ok ? Buffer.from(r.value) : Buffer.alloc(0);
    expect(b.includes(Buffer.from([119, 6, 4, ...Buffer.from("walt"), 0]))).toBe(true);
  });

  test("bad addresses and oversize values are refused with a reason, never thrown", () => {
    expect(formatMessage({ ...offer, yiaddr: "300.1.1.1" })).toMatchObject({ ok: false });
    expect(formatMessage({ ...offer, chaddr: "nope" })).toMatchObject({ ok: false });
    const long = formatMessage({ ...offer, options: { bootFile: "x".repeat(300) } });
    expect(long).toEqual({ ok: false, reason: "option 67 is longer than 255 bytes" });
  });

  test("user class: plain text as iPXE sends it, or the first RFC 3004 instance", () => {
    expect(decodeUserClass(Buffer.from("iPXE"))).toBe("iPXE");
    expect(decodeUserClass(Uint8Array.from([4, ...Buffer.from("abcd"), 2, 120, 121]))).toBe("abcd");
    expect(decodeUserClass(Buffer.from("walt.node.rpi-4-b\0"))).toBe("walt.node.rpi-4-b");
  });
});

/**
 * Raspberry Pi network boot request sequences (test/fixtures/tftp/rpi*-boot.json), replayed against the
 * server with WALT's routes: serial-prefixed names, the doubled slash of the Pi 5, tsize probes abandoned
 * with an error packet, re-requests from the next source port, names that do not exist.
 * The fixtures are reconstructed from public captures and reports (each names its sources), not recorded
 * on hardware here.
 */
import { describe, expect, test } from "bun:test";
import { decodePacket, encodePacket, type TftpPacket } from "../../server/tftp/packet.ts";
import { UdpPeer } from "../helpers/tftp-client.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { makeTree, pseudoRandom, startTftp } from "../fixtures/tftp/tree.ts";

interface Step {
  from?: string;
  to?: string;
  send?: string;
  shows?: string;
  expect?: "oack" | "data" | "error";
  tsize_of?: string;
  block?: number;
  code?: number;
  download?: string;
}
interface Fixture {
  model: string;
  serial: string;
  files: Record<string, number>;
  steps: Step[];
}

const FIXTURES = ["rpi3bplus-boot.json", "rpi4-boot.json", "rpi5-boot.json"];
const load = async (name: string): Promise<Fixture> => (await Bun.file(new URL(`../fixtures/tftp/${name}`, import.meta.url)).json()) as Fixture;
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));
const seedOf = (name: string): number => [...name].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 100000;

/** The tcpdump-like text the fixtures annotate each datagram with. */
function shows(p: TftpPacket): string {
  switch (p.op) {
    case "rrq":
      return `RRQ ${JSON.stringify(p.filename)} ${p.mode}${p.options.map((o) => ` ${o.name} ${o.value}`).join("")}`;
    case "ack":
      return `ACK ${p.block}`;
    case "error":
      return `ERROR ${p.code} ${JSON.stringify(p.message)}`;
    default:
      return p.op;
  }
}

interface Port {
  peer: UdpPeer;
  tid: number;
  blksize: number;
  oack: boolean;
}

describe.each(FIXTURES)("raspberry pi request sequence %s", (fixtureName) => {
  test("every datagram of the fixture decodes to what it is annotated as", async () => {
    const f = await load(fixtureName);
    for (const s of f.steps.filter((x) => x.send !== undefined)) {
      const d = decodePacket(hex(s.send ?? ""));
      if (!d.ok) throw new Error(`${s.shows}: ${d.reason}`);
      expect(shows(d.packet)).toBe(s.shows ?? "");
    }
  });

  test("is served by WALT's routes: probes answered with the real size, files byte-identical, missing names refused", async () => {
    const f = await load(fixtureName);
    const content = Object.fromEntries(Object.entries(f.files).map(([name, size]) => [name, pseudoRandom(size, seedOf(name))]));
    using tree = makeTree(content);
    await using tftp = await startTftp(tree);
    const ports = new Map<string, Port>();
    const portOf = async (label: string): Promise<Port> => {
      let p = ports.get(label);
      if (!p) ports.set(label, (p = { peer: await UdpPeer.open(), tid: 0, blksize: 512, oack: false }));
      return p;
    };
    const receive = async (p: Port, what: string): Promise<TftpPacket> => {
      const d = await p.peer.next();
      if (!d?.packet) throw new Error(`no answer: ${what}`);
      p.tid = d.port;
      return d.packet;
    };
    let downloads = 0;
    try {
      for (const step of f.steps) {
        const where = `${fixtureName} ${JSON.stringify(step)}`;
        if (step.send !== undefined) {
          const p = await portOf(step.from ?? "");
          const bytes = hex(step.send);
          p.peer.send(bytes, bytes[1] === 1 ? tftp.port : p.tid);
        } else if (step.expect) {
          const p = await portOf(step.to ?? "");
          const packet = await receive(p, where);
          expect({ where, op: packet.op }).toEqual({ where, op: step.expect });
          if (packet.op === "oack") {
            const opts = Object.fromEntries(packet.options.map((o) => [o.name, o.value]));
            expect({ where, tsize: opts["tsize"] }).toEqual({ where, tsize: String(f.files[step.tsize_of ?? ""]) });
            p.blksize = Number(opts["blksize"] ?? 512);
            p.oack = true;
          }
          if (packet.op === "data") expect(packet.block).toBe(step.block ?? -1);
          if (packet.op === "error") expect(packet.code).toBe(step.code ?? -1);
        } else if (step.download) {
          const p = await portOf(step.from ?? "");
          const got = await download(p, where);
          expect({ where, same: Buffer.compare(got, content[step.download] ?? new Uint8Array()) === 0 }).toEqual({ where, same: true });
          downloads++;
        }
      }
      const served = await waitFor(() => (tftp.events.filter((e) => e.kind === "served").length >= downloads ? tftp.events : undefined), "served events");
      expect(served.filter((e) => e.kind === "served").length).toBe(downloads);
      const aborted = served.filter((e) => e.reason?.startsWith("client aborted"));
      expect(aborted.length).toBe(f.steps.filter((s) => s.shows?.startsWith("ERROR")).length);
    } finally {
      for (const p of ports.values()) p.peer.close();
    }
  });
});

/** Lockstep download as the Pi firmware does it: ACK 0 after the OACK, then ACK each block. */
async function download(p: Port, where: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  if (p.oack) p.peer.send(encodePacket({ op: "ack", block: 0 }), p.tid);
  for (let expected = 1; ; expected++) {
    const d = await p.peer.next();
    if (d?.packet?.op !== "data" || d.packet.block !== expected % 65536) throw new Error(`${where}: expected block ${expected}, got ${JSON.stringify(d?.packet)}`);
    p.tid = d.port;
    chunks.push(d.packet.data);
    p.peer.send(encodePacket({ op: "ack", block: d.packet.block }), p.tid);
    if (d.packet.data.length < p.blksize) return Buffer.concat(chunks);
  }
}

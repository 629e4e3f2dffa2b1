/**
 * The transfer's own socket (its TID, RFC 1350 §4): an ephemeral UDP socket connected to the client, so the
 * kernel delivers only the client's datagrams. `sendMany` may accept fewer packets than given when the socket
 * buffer is full: the rest is copied and waits for `drain`, in order.
 */
import type { Link } from "./session.ts";

export interface TransferSocket {
  link: Link;
  close(): void;
}

/** Where the socket delivers what it receives (set once the session exists). */
export interface SocketSink {
  session: { onDatagram(bytes: Uint8Array): void; linkFailed(reason: string): void } | null;
}

export async function connectTo(host: string, address: string, port: number, sink: SocketSink): Promise<TransferSocket> {
  const backlog: Uint8Array[] = [];
  const flush = (s: { sendMany(p: readonly Uint8Array[]): number }): void => {
    while (backlog.length > 0) {
      const n = s.sendMany(backlog);
      backlog.splice(0, n);
      if (n === 0) return;
    }
  };
  const sock = await Bun.udpSocket({
    hostname: host,
    port: 0,
    binaryType: "uint8array",
    connect: { hostname: address, port },
    socket: {
      data: (_s, data) => sink.session?.onDatagram(data),
      drain: (s) => flush(s),
      // Bun reports ICMP port unreachable (the client is gone) with no error object.
      error: (_s, err: unknown) => sink.session?.linkFailed(`socket error: ${String(err ?? "connection refused")}`),
    },
  });
  const link: Link = {
    send: (packets) => {
      let sent = 0;
      if (backlog.length === 0) sent = packets.length === 1 && packets[0] ? Number(sock.send(packets[0])) : sock.sendMany(packets);
      for (let i = sent; i < packets.length; i++) backlog.push((packets[i] as Uint8Array).slice());
      flush(sock);
    },
  };
  return { link, close: () => sock.close() };
}

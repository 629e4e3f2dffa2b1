/**
 * The agent's own NBD client: what `nbd-client -N <export> <server> /dev/nbdN` does in netlink mode, without the
 * command (WALT's busybox images have none). TCP connect and handshake on a libc socket, then NBD_CMD_CONNECT hands
 * that socket to the kernel through the generic-netlink `nbd` family (linux/nbd-netlink.h): the kernel's nbd driver
 * owns the connection from then on, so no process stays blocked in NBD_DO_IT as with the old ioctl interface.
 */
import { WaltError } from "../../src/errors.ts";
import { negotiate, type ExportInfo } from "./handshake.ts";
import { AF_INET, AF_NETLINK, errnoName, fdTransport, Libc, NETLINK_GENERIC, SOCK_RAW, SOCK_STREAM } from "./libc.ts";
import { decodeMessages, encodeGetFamily, encodeNbdConnect, encodeNbdDisconnect, errorOf, familyIdOf, NBD_GENL_FAMILY_NAME, type NlMessage } from "./netlink.ts";

export interface NbdConnectOptions {
  server: string;
  port: number;
  exportName: string;
  /** N of /dev/nbdN. */
  index: number;
  /** Deadline of the TCP connect, each handshake read/write and each netlink answer. */
  timeoutMs: number;
}

/** Swap is paged in 4 KiB units; the kernel accepts powers of two from 512 to PAGE_SIZE. */
const BLOCK_SIZE = 4096;
/** Larger than any reply of these requests (a GETFAMILY reply lists the family's ops: well under 4 KiB). */
const NL_BUFFER = 32 * 1024;

/** Send one netlink request and read up to its NLMSG_ERROR (0 = ACK); returns the messages before it. */
function request(libc: Libc, fd: number, seq: number, msg: Uint8Array, what: string): NlMessage[] {
  libc.send(fd, msg);
  const before: NlMessage[] = [];
  for (;;) {
    const buf = new Uint8Array(NL_BUFFER);
    const n = libc.recv(fd, buf);
    for (const m of decodeMessages(buf.subarray(0, n))) {
      if (m.seq !== seq) continue;
      const err = errorOf(m);
      if (err === undefined) before.push(m);
      else if (err === 0) return before;
      else throw new WaltError("EXTERNAL", `${what}: ${errnoName(-err)}`);
    }
  }
}

/** The id of a generic-netlink family (CTRL_CMD_GETFAMILY); ENOENT when the kernel has no such family. */
export function genlFamilyId(libc: Libc, fd: number, name: string): number {
  const replies = request(libc, fd, 1, encodeGetFamily(name, 1), `generic netlink family ${name}`);
  const family = replies.map(familyIdOf).find((id) => id !== undefined);
  if (family === undefined) throw new WaltError("EXTERNAL", `generic netlink family ${name}: no id in the reply`);
  return family;
}

/** Run `f` with a generic-netlink socket and the id of family `name`. */
export function withGenlFamily<T>(libc: Libc, name: string, timeoutMs: number, f: (fd: number, family: number) => T): T {
  const fd = libc.socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
  try {
    libc.setTimeouts(fd, timeoutMs);
    return f(fd, genlFamilyId(libc, fd, name));
  } finally {
    libc.closeFd(fd);
  }
}

/**
 * TCP connect and handshake on a blocking libc socket; returns the socket (the caller closes it) and the export.
 * Deadlines are cleared once negotiated: the kernel reads the socket with its own timeout policy, and our
 * SO_RCVTIMEO would break an idle connection.
 */
export async function openExport(libc: Libc, o: Omit<NbdConnectOptions, "index">): Promise<{ fd: number; info: ExportInfo }> {
  const fd = libc.socket(AF_INET, SOCK_STREAM, 0);
  try {
    libc.setTimeouts(fd, o.timeoutMs);
    libc.connectIpv4(fd, o.server, o.port);
    const info = await negotiate(fdTransport(libc, fd), o.exportName);
    libc.setTimeouts(fd, 0);
    return { fd, info };
  } catch (e) {
    libc.closeFd(fd);
    throw e;
  }
}

/** Connect /dev/nbd<index> to the export; resolves with its size. Throws a WaltError saying which stage failed. */
export async function nbdConnect(o: NbdConnectOptions): Promise<{ sizeBytes: number }> {
  const libc = new Libc();
  try {
    const { fd: tcp, info } = await openExport(libc, o);
    try {
      const params = { index: o.index, sizeBytes: info.sizeBytes, blockSizeBytes: BLOCK_SIZE, serverFlags: info.transmissionFlags, timeoutS: 0, fd: tcp };
      const what = `NBD_CMD_CONNECT /dev/nbd${o.index}`;
      withGenlFamily(libc, NBD_GENL_FAMILY_NAME, o.timeoutMs, (fd, family) => request(libc, fd, 2, encodeNbdConnect(family, 2, params), what));
    } finally {
      // The kernel holds its own reference to the socket once connected; ours is no longer needed either way.
      libc.closeFd(tcp);
    }
    return { sizeBytes: info.sizeBytes };
  } finally {
    libc.close();
  }
}

/** NBD_CMD_DISCONNECT of /dev/nbd<index> (the kernel sends NBD_CMD_DISC to the server and drops the socket). */
export function nbdDisconnect(index: number, timeoutMs: number): void {
  const libc = new Libc();
  try {
    withGenlFamily(libc, NBD_GENL_FAMILY_NAME, timeoutMs, (fd, family) => request(libc, fd, 2, encodeNbdDisconnect(family, 2, index), `NBD_CMD_DISCONNECT /dev/nbd${index}`));
  } finally {
    libc.close();
  }
}

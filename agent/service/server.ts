/**
 * The socket side of the node's network service: a TCP listener (port 12346 on a node, 0 in tests) that runs one
 * `ServiceSession` per connection and carries out its actions through injected `ServiceActions`. Unlike WALT's
 * `busybox nc -l` loop it serves several clients at once. A reboot waits until its `OK` has left (the socket is
 * ended and closed, bounded in time), as the server must read it before the machine goes down.
 */
import { createServer, type Server, type Socket } from "node:net";
import { NODE_SERVICE_TIMEOUT_MS, REPLY } from "../../src/proto/netservice/protocol.ts";
import { LineReader, TIMED_OUT } from "./lines.ts";
import { ServiceSession, type ServiceAction } from "./session.ts";

export interface ServiceActions {
  /** The kernel log (`dmesg`). */
  dmesg(): Promise<string>;
  /** Run `/bin/blink <arg>`; the reply line (`OK` or WALT's KO). */
  blink(arg: string): Promise<string>;
  /** Before answering REBOOT: the KO text when the reboot cannot be done (a custom script not executable). */
  rebootRefusal(): Promise<string | undefined>;
  /** Reboot the machine (does not return on a node). */
  reboot(): Promise<void>;
}

export interface NodeServiceOptions {
  port: number;
  host?: string;
  actions: ServiceActions;
  readTimeoutMs?: number;
  /** Diagnostics (the console on a node). */
  log(line: string): void;
}

export interface RunningService {
  readonly port: number;
  close(): Promise<void>;
}

/** How long a reboot waits for its reply to be flushed and the connection closed. */
const FLUSH_WAIT_MS = 2_000;
export const SHELL_UNSUPPORTED = "KO SHELL is not supported by this node's walt agent (use ssh).";

export async function startNodeService(o: NodeServiceOptions): Promise<RunningService> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    void serve(sock, o).catch((e: unknown) => {
      o.log(`walt agent service: connection failed: ${e instanceof Error ? e.message : String(e)}`);
      sock.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: o.port, host: o.host ?? "0.0.0.0" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : o.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serve(sock: Socket, o: NodeServiceOptions): Promise<void> {
  const reader = new LineReader(sock, o.readTimeoutMs ?? NODE_SERVICE_TIMEOUT_MS);
  const session = new ServiceSession();
  let reboot = false;
  for (;;) {
    const line = await reader.next();
    const d = line === TIMED_OUT ? session.onTimeout() : line === null ? session.onEnd() : session.onLine(line);
    for (const a of d.actions) if (await perform(sock, a, o.actions)) reboot = true;
    if (d.close) break;
  }
  reader.dispose();
  await endAndWait(sock);
  if (reboot) {
    o.log("walt agent service: rebooting (REBOOT request)");
    await o.actions.reboot();
  }
}

/** Carry out one action; true when a reboot must follow. */
async function perform(sock: Socket, a: ServiceAction, actions: ServiceActions): Promise<boolean> {
  const say = (line: string): void => void (sock.writable && sock.write(`${line}\n`));
  switch (a.kind) {
    case "reply":
      say(a.line);
      return false;
    case "dmesg":
      say(REPLY.ok);
      say("");
      if (sock.writable) sock.write(await actions.dmesg());
      return false;
    case "blink":
      say(await actions.blink(a.arg));
      return false;
    case "shell":
      say(SHELL_UNSUPPORTED);
      return false;
    case "reboot": {
      const refusal = await actions.rebootRefusal();
      say(refusal === undefined ? REPLY.ok : `KO ${refusal}`);
      return refusal === undefined;
    }
  }
}

function endAndWait(sock: Socket): Promise<void> {
  if (sock.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      sock.destroy();
      resolve();
    }, FLUSH_WAIT_MS);
    sock.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    sock.end();
  });
}

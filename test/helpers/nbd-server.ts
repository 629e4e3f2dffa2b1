/** An NBD server on 127.0.0.1, port 0, with its swap directory, log lines and events; released by `await using`. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { createNbdServer, type NbdServer, type NbdServerOptions } from "../../server/nbd/server.ts";
import { tempDir } from "./tmp.ts";

export interface TestNbdServer extends AsyncDisposable {
  server: NbdServer;
  port: number;
  swapDir: string;
  /** Swap files currently on disk. */
  files(): string[];
  /** Diagnostic log lines (logfmt). */
  lines: string[];
  /** onConnect / onDisconnect calls as "connect <export>" / "disconnect <export>". */
  events: string[];
}

export async function startNbdServer(opts: Partial<NbdServerOptions> = {}): Promise<TestNbdServer> {
  const dir = tempDir("walt-nbd-");
  const swapDir = opts.swapDir ?? join(dir.path, "swap");
  const lines: string[] = [];
  const events: string[] = [];
  const server = createNbdServer({
    host: "127.0.0.1",
    port: 0,
    swapDir,
    logger: createLogger({ level: "debug", write: (l) => lines.push(l) }),
    onConnect: (_peer, name) => events.push(`connect ${name}`),
    onDisconnect: (_peer, name) => events.push(`disconnect ${name}`),
    ...opts,
  });
  try {
    await server.start();
  } catch (e) {
    dir[Symbol.dispose]();
    throw e;
  }
  return {
    server,
    port: server.port,
    swapDir,
    files: () => readdirSync(swapDir),
    lines,
    events,
    [Symbol.asyncDispose]: async () => {
      try {
        await server.stop(AbortSignal.timeout(5000));
      } finally {
        dir[Symbol.dispose]();
      }
    },
  };
}

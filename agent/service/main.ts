/**
 * `walt agent service [--port N] [--boot-mode M]`: the node's network service daemon (WALT's walt-net-service,
 * §3.8), started detached by `walt agent init` just before the hand-over to the image's init. It listens on TCP
 * 12346 for the server's requests (`MODE single\nREBOOT\n` for a soft reboot) and for people debugging with
 * `nc <node> 12346`. One small process: a few buffers per connection, no state kept between connections.
 */
import { NODE_SERVICE_PORT } from "../../src/proto/netservice/protocol.ts";
import type { BootMode } from "../context.ts";
import { createRealSys } from "../sys/real.ts";
import { serviceActions } from "./actions.ts";
import { startNodeService } from "./server.ts";

const BOOT_MODES: readonly BootMode[] = ["network", "hybrid-volatile", "hybrid-persistent"];

export interface ServiceArgs {
  port: number;
  bootMode: BootMode;
}

/** The options of `walt agent service`; a string is a usage error. */
export function parseServiceArgs(args: readonly string[]): ServiceArgs | string {
  const out: ServiceArgs = { port: NODE_SERVICE_PORT, bootMode: "network" };
  for (let i = 0; i < args.length; i++) {
    const [opt, value] = [args[i], args[i + 1]];
    if (opt === "--port" && value !== undefined && /^\d+$/.test(value) && Number(value) < 65536) out.port = Number(value);
    else if (opt === "--boot-mode" && BOOT_MODES.includes(value as BootMode)) out.bootMode = value as BootMode;
    else return `walt agent service: invalid option '${opt ?? ""}${value === undefined ? "" : ` ${value}`}'.\nHint: walt agent service [--port N] [--boot-mode ${BOOT_MODES.join("|")}]`;
    i++;
  }
  return out;
}

/** Runs until SIGTERM or SIGINT. */
export async function runService(args: readonly string[], log: (line: string) => void): Promise<number> {
  const parsed = parseServiceArgs(args);
  if (typeof parsed === "string") {
    log(parsed);
    return 2;
  }
  const actions = serviceActions({ sys: createRealSys(), bootMode: parsed.bootMode, sleep: (ms) => Bun.sleep(ms), log });
  const service = await startNodeService({ port: parsed.port, actions, log });
  log(`walt agent service: listening on TCP port ${service.port} (boot mode ${parsed.bootMode})`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await service.close();
  return 0;
}

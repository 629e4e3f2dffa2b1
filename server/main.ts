/**
 * `walt server [--config F] [--data-dir D] [--port P] [--listen HOST] [--db-url URL]`.
 * The only place of the server role that reads argv, files and signals, and exits.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { WaltError } from "../src/errors.ts";
import { createLogger } from "../src/log.ts";
import { VERSION } from "../src/version.ts";
import { DEFAULT_CONFIG_PATH, parseConfigText, resolveConfig, type ServerFlags } from "./config/config.ts";
import { startServer } from "./server.ts";

const USAGE = `Usage: walt server [--config FILE] [--data-dir DIR] [--port PORT] [--listen HOST] [--db-url URL]

Runs the WALT server. Defaults: config ${DEFAULT_CONFIG_PATH} (optional), data dir /var/lib/walt,
port 80, embedded SQLite database in the data dir. See 'walt help show server-config'.`;

function parseFlags(argv: string[]): ServerFlags & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      "data-dir": { type: "string" },
      port: { type: "string" },
      listen: { type: "string" },
      "db-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new WaltError("USAGE", `Invalid port '${values.port}'.`, { hint: "use an integer between 0 and 65535 (0 = any free port)" });
  }
  return { config: values.config, dataDir: values["data-dir"], port, listen: values.listen, dbUrl: values["db-url"], help: values.help ?? false };
}

export async function main(argv: string[]): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 1;
  }
  if (flags.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  try {
    const path = flags.config ?? DEFAULT_CONFIG_PATH;
    if (flags.config && !existsSync(path)) throw new WaltError("USAGE", `Config file ${path} does not exist.`);
    const file = existsSync(path) ? parseConfigText(readFileSync(path, "utf8"), path) : {};
    const config = resolveConfig(file, flags);
    const log = createLogger({ level: config.logLevel });
    const server = await startServer(config, log);
    process.stdout.write(`walt server ${VERSION} listening on ${server.url} (data dir ${config.dataDir})\n`);
    return await new Promise<number>((resolve) => {
      let signals = 0;
      const onSignal = (sig: string): void => {
        if (++signals > 1) process.exit(1); // a second signal forces the exit
        log.info("server: stopping", { signal: sig });
        server.stop().then(() => resolve(0), () => resolve(1));
      };
      process.on("SIGTERM", () => onSignal("SIGTERM"));
      process.on("SIGINT", () => onSignal("SIGINT"));
    });
  } catch (e) {
    if (e instanceof WaltError) {
      process.stderr.write(`Error: ${e.message}\n${e.hint ? `Hint: ${e.hint}\n` : ""}`);
      return 1;
    }
    process.stderr.write(`Internal error: ${e instanceof Error ? e.message : String(e)}\n(set WALT_DEBUG=1 for details)\n`);
    if (process.env["WALT_DEBUG"]) console.error(e);
    return 1;
  }
}

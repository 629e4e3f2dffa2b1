/** A Logger that forwards to the context's logger when called (the context is built after the services). */
import type { Fields, Logger } from "../../src/log.ts";

export function lazyLogger(get: () => Logger, fields: Fields = {}): Logger {
  const target = (): Logger => (Object.keys(fields).length ? get().child(fields) : get());
  return {
    debug: (m, f) => target().debug(m, f),
    info: (m, f) => target().info(m, f),
    warn: (m, f) => target().warn(m, f),
    error: (m, f) => target().error(m, f),
    child: (f) => lazyLogger(get, { ...fields, ...f }),
  };
}

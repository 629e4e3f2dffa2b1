/**
 * Server → node requests (WALT's `nodes/netservice.py`): one short-lived TCP connection to the node's network
 * service per request, `MODE single\n<REQ>\n`, one reply line. Resolves to `OK` or to WALT's error text
 * (`Connection timed out`, `Connection refused`, `Timed out waiting for reply`, `Broken connection`,
 * `Node did not respond properly`, or the text of a `KO`); never rejects, as every failure is a result.
 */
import { connect } from "node:net";
import { NODE_SERVICE_PORT, NODE_SERVICE_TIMEOUT_MS, replyResult, REQUEST_ERROR, singleRequest } from "../../src/proto/netservice/protocol.ts";

export interface NodeServiceTarget {
  /** Applies to the connection and to the reply, each (WALT: 15 s). */
  timeoutMs: number;
  /** Where the service of the node at `ip` listens (`<ip>:12346`; tests: loopback ports). */
  endpoint(ip: string): { host: string; port: number };
}

export const DEFAULT_NODE_SERVICE: NodeServiceTarget = { timeoutMs: NODE_SERVICE_TIMEOUT_MS, endpoint: (ip) => ({ host: ip, port: NODE_SERVICE_PORT }) };
/** A reply line longer than this is not one WALT's nodes send; what came is taken as the reply. */
const MAX_REPLY = 4096;

/** Python's `strerror` for the connection failures WALT reports with it. */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: REQUEST_ERROR.refused,
  ETIMEDOUT: REQUEST_ERROR.connectTimeout,
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  ECONNRESET: "Connection reset by peer",
};

const errorText = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && STRERROR[code] !== undefined) return STRERROR[code];
  return e instanceof Error ? e.message : String(e);
};

/** One request to the node at `ip`. */
export function nodeRequest(ip: string, req: string, target: NodeServiceTarget = DEFAULT_NODE_SERVICE): Promise<string> {
  return new Promise((resolve) => {
    let connected = false;
    let reply = "";
    let settled = false;
    const sock = connect(target.endpoint(ip));
    const done = (result: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(result);
    };
    let timer = setTimeout(() => done(REQUEST_ERROR.connectTimeout), target.timeoutMs);
    sock.setEncoding("utf8");
    sock.on("connect", () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => done(REQUEST_ERROR.replyTimeout), target.timeoutMs);
      sock.write(singleRequest(req));
    });
    sock.on("data", (chunk: string) => {
      reply += chunk;
      const nl = reply.indexOf("\n");
      if (nl >= 0) done(replyResult(reply.slice(0, nl)));
      else if (reply.length > MAX_REPLY) done(replyResult(reply.slice(0, MAX_REPLY)));
    });
    // The node closed without a full line: what came is the reply (nothing at all is not a proper one).
    sock.on("end", () => done(replyResult(reply)));
    sock.on("error", (e) => done(connected ? REQUEST_ERROR.broken : errorText(e)));
  });
}

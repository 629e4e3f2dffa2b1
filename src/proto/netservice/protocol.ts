/**
 * The node's network service (WALT §3.8 walt-net-service, `walt-net-service-handler`): a line protocol on TCP
 * 12346. A client first sends `MODE single|multi`, then one request per line (`PING`, `REBOOT`, `DMESG`, `BLINK
 * 0|1`, `SHELL`, `CLOSE`). The server always sends `MODE single\n<REQ>\n` and reads one reply line (WALT's
 * `nodes/netservice.py`). Shared by the node side (agent/service) and the server's client (server/netboot).
 */

/** WALT_NODE_NET_SERVICE_PORT. */
export const NODE_SERVICE_PORT = 12346;
/** WALT's NODE_REQUEST_DELAY_SECS (connect and reply), and the handler's read timeout on the node. */
export const NODE_SERVICE_TIMEOUT_MS = 15_000;

/** Replies of the node, byte for byte as WALT's handler prints them. */
export const REPLY = {
  ok: "OK",
  noMode: 'KO Start by specifying "MODE [single|multi]". Closing on my side.',
  timeout: "TIMEOUT Closing on my side.",
  closing: "OK Closing on my side.",
  endOfShell: "END-OF-SHELL",
  blinkMissing: "KO /bin/blink unavailable or not executable on image",
  blinkFailed: "KO /bin/blink returned a non-zero error code",
} as const;

/** Results of a server request other than `OK`, as WALT's client words them. */
export const REQUEST_ERROR = {
  connectTimeout: "Connection timed out",
  refused: "Connection refused",
  replyTimeout: "Timed out waiting for reply",
  broken: "Broken connection",
  improper: "Node did not respond properly",
} as const;

/** What the server sends for one request (WALT: one short-lived connection per request). */
export const singleRequest = (req: string): string => `MODE single\n${req}\n`;

/**
 * The result of a request from the node's first reply line (WALT's `on_read_ready`): `OK` when the first word is
 * `OK`; else the text after the first word (`KO <reason>` gives `<reason>`); else a reply WALT does not understand.
 */
export function replyResult(line: string): string {
  const space = line.indexOf(" ");
  const [word, rest] = space < 0 ? [line.trim(), undefined] : [line.slice(0, space).trim(), line.slice(space + 1).trim()];
  if (word === "OK") return REPLY.ok;
  return rest === undefined ? REQUEST_ERROR.improper : rest;
}

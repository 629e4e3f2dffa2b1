/**
 * The TFTP router: an ordered list of routes, each trying to serve a read request and saying whether it owned
 * it (smee's `Route.TryServe`, model-codebases §2.A). First match wins.
 *
 * - `{handled: true, open}`: the route serves the file; `open()` may still reject with a TftpRefusal.
 * - `{handled: false, reason}`: not this route's request; the next route is tried. When every route declines
 *   the client gets error 1 "File not found" and the reasons go to the diagnostic log.
 * - `tryServe` rejecting with a TftpRefusal refuses outright (a path escaping its root): no later route is
 *   consulted, so a refusal can never fall through to a route that would serve it.
 */
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { TFTP_ERROR } from "./packet.ts";

export interface TftpRequest {
  /** The filename exactly as the client sent it. */
  path: string;
  clientIp: string;
  clientPort: number;
}

/** An open file (or generated content) being served. */
export interface TftpFile {
  size: number;
  /** Up to `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export type RouteResult = { handled: true; open(): Promise<TftpFile> } | { handled: false; reason: string };

export interface TftpRoute {
  readonly name: string;
  tryServe(req: TftpRequest): Promise<RouteResult>;
}

/**
 * A decision to answer with a TFTP error packet: `tftpCode` and the message go on the wire, `reason` (which may
 * name server paths) only to the log. A WaltError like every other refusal in the project.
 */
export class TftpRefusal extends WaltError {
  constructor(
    readonly tftpCode: number,
    message: string,
    readonly reason: string = message,
  ) {
    super(tftpCode === TFTP_ERROR.fileNotFound ? "NOT_FOUND" : "FORBIDDEN", message);
    this.name = "TftpRefusal";
  }
}

export const accessViolation = (reason: string): TftpRefusal => new TftpRefusal(TFTP_ERROR.accessViolation, "Access violation", reason);
export const fileNotFound = (reason: string): TftpRefusal => new TftpRefusal(TFTP_ERROR.fileNotFound, "File not found", reason);

/** A file held in memory: generated content (a boot script, a config.txt) served by a route. */
export function memoryFile(bytes: Uint8Array): TftpFile {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
    close: () => Promise.resolve(),
  };
}

export type Resolved = { ok: true; route: string; file: TftpFile } | { ok: false; code: number; message: string; reason: string; route?: string };

/** Walk the routes in order and open the file of the first one that handles the request. */
export async function resolveRequest(routes: readonly TftpRoute[], req: TftpRequest, log: Logger): Promise<Resolved> {
  const declined: string[] = [];
  for (const route of routes) {
    try {
      const result = await route.tryServe(req);
      if (!result.handled) {
        declined.push(`${route.name}: ${result.reason}`);
        continue;
      }
      return { ok: true, route: route.name, file: await result.open() };
    } catch (err) {
      if (err instanceof TftpRefusal) return { ok: false, code: err.tftpCode, message: err.message, reason: err.reason, route: route.name };
      log.error("tftp route failed", { route: route.name, path: req.path, error: String(err) });
      return { ok: false, code: TFTP_ERROR.notDefined, message: "Internal error", reason: String(err), route: route.name };
    }
  }
  const reason = declined.length > 0 ? declined.join("; ") : "no route";
  return { ok: false, code: TFTP_ERROR.fileNotFound, message: "File not found", reason };
}

/** The serial number prefix of Raspberry Pi firmware requests: 8 hex digits (TFTP_PREFIX=0, the default). */
const RPI_SERIAL = /^\/*([0-9a-f]{8})\/+(.+)$/;

/**
 * Raspberry Pi 3B+/4/5 network boot asks for `<serial>/start4.elf`, `<serial>/config.txt`, … where `<serial>`
 * is the low 32 bits of the board serial in lowercase hex; if neither start4.elf nor start.elf exists under
 * the prefix the firmware drops it and asks again without (raspberrypi/documentation, TFTP_PREFIX).
 * The Pi 5 bootloader additionally asks for some files as `<serial>//config.txt` (observed by smee,
 * route_rpi.go): the doubled slash is absorbed here.
 *
 * WALT keeps one tree per node IP, so the prefix carries nothing this server needs: this route strips it and
 * asks `inner` for the rest, which saves the firmware its failed round trip. Place it after the plain route so
 * a tree that does contain a `<serial>/` directory still wins. Verified against request sequences reconstructed
 * from public captures (test/fixtures/tftp/), not against a physical board.
 */
export function rpiSerialRoute(inner: TftpRoute): TftpRoute {
  return {
    name: `rpi-serial(${inner.name})`,
    tryServe: async (req) => {
      const m = RPI_SERIAL.exec(req.path);
      if (!m?.[2]) return { handled: false, reason: "no Raspberry Pi serial prefix" };
      return inner.tryServe({ ...req, path: m[2] });
    },
  };
}

export { fileRoute, staticRoute, type FileRouteOptions, type MapPath } from "./file-route.ts";
export { waltMapPath } from "./walt-map.ts";

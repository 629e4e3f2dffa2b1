/**
 * Option haggling decisions (fixed newstyle): one option request in, what to answer out. Pure; the session does the
 * I/O (and, for GO and EXPORT_NAME, creates the export's storage before sending the final replies).
 */
import type { ExportResolution } from "./export-name.ts";
import {
  CMD_FLAG,
  OPT,
  REP,
  TFLAG,
  decodeInfoRequest,
  decodeString,
  encodeInfoBlockSize,
  encodeInfoExport,
  encodeOptionError,
  encodeOptionReply,
  encodeServerEntry,
  type BlockSizes,
  type OptionRequest,
} from "./protocol.ts";

/** What this server supports once in transmission; never CAN_MULTI_CONN, as each connection has its own file. */
export const TRANSMISSION_FLAGS = TFLAG.HAS_FLAGS | TFLAG.SEND_FLUSH | TFLAG.SEND_TRIM | TFLAG.SEND_WRITE_ZEROES;
/** WALT's block sizes: min 1, preferred 4096, max 1 MiB. */
export const WALT_BLOCK_SIZES: BlockSizes = { min: 1, preferred: 4096, max: 1024 * 1024 };
/** Command flags a client may set (FUA is accepted and has nothing to do, see SwapFile.flush). */
export const ACCEPTED_CMD_FLAGS = CMD_FLAG.FUA | CMD_FLAG.NO_HOLE | CMD_FLAG.FAST_ZERO;

export type OptionOutcome =
  /** Answer and stay in negotiation. */
  | { kind: "reply"; replies: Uint8Array[] }
  /** Answer, then close the connection (NBD_OPT_ABORT). */
  | { kind: "abort"; replies: Uint8Array[] }
  /** Open the export, then send goReplies() and enter transmission. */
  | { kind: "go"; option: number; name: string; size: number; infos: number[] }
  /** Open the export, then send the EXPORT_NAME reply and enter transmission. */
  | { kind: "export-name"; name: string; size: number }
  /** Close without answering (EXPORT_NAME of an unknown export cannot be refused otherwise). */
  | { kind: "hangup"; reason: string };

export interface OptionBackend {
  resolve(name: string): ExportResolution;
  list(): string[];
}

const refusal = (option: number, r: Extract<ExportResolution, { ok: false }>): Uint8Array =>
  encodeOptionError(option, r.reply === "policy" ? REP.ERR_POLICY : REP.ERR_UNKNOWN, r.message);

export function decideOption(req: OptionRequest, backend: OptionBackend, blockSizes: BlockSizes = WALT_BLOCK_SIZES): OptionOutcome {
  const { option, data } = req;
  const reply = (...replies: Uint8Array[]): OptionOutcome => ({ kind: "reply", replies });
  switch (option) {
    case OPT.EXPORT_NAME: {
      const name = decodeString(data);
      if (name === undefined) return { kind: "hangup", reason: "export name is not UTF-8" };
      const r = backend.resolve(name);
      return r.ok ? { kind: "export-name", name: r.name, size: r.size } : { kind: "hangup", reason: r.message };
    }
    case OPT.GO:
    case OPT.INFO: {
      const parsed = decodeInfoRequest(data);
      if (!parsed.ok) return reply(encodeOptionError(option, REP.ERR_INVALID, `Malformed option: ${parsed.reason}.`));
      const r = backend.resolve(parsed.value.name);
      if (!r.ok) return reply(refusal(option, r));
      if (option === OPT.GO) return { kind: "go", option, name: r.name, size: r.size, infos: parsed.value.infos };
      return reply(...infoReplies(option, r.size, blockSizes));
    }
    case OPT.LIST:
      if (data.length !== 0) return reply(encodeOptionError(option, REP.ERR_INVALID, "NBD_OPT_LIST takes no data."));
      return reply(...backend.list().map((n) => encodeServerEntry(option, n)), encodeOptionReply(option, REP.ACK));
    case OPT.ABORT:
      return { kind: "abort", replies: [encodeOptionReply(option, REP.ACK)] };
    case OPT.STRUCTURED_REPLY:
      return reply(encodeOptionError(option, REP.ERR_UNSUP, "Structured replies are not supported; simple replies only."));
    default:
      // STARTTLS, metadata contexts, extended headers and anything unknown.
      return reply(encodeOptionError(option, REP.ERR_UNSUP, `Option ${option} is not supported.`));
  }
}

/**
 * NBD_REP_INFO for the export and its block sizes, then NBD_REP_ACK. The block sizes go out even when not asked for,
 * which the protocol allows; with a minimum of 1 they constrain nothing a client would do anyway.
 */
export function infoReplies(option: number, size: number, blockSizes: BlockSizes = WALT_BLOCK_SIZES): Uint8Array[] {
  return [encodeInfoExport(option, size, TRANSMISSION_FLAGS), encodeInfoBlockSize(option, blockSizes), encodeOptionReply(option, REP.ACK)];
}

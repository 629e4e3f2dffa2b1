/**
 * The registry client's failures, each one clear line (issue 4: "Registry unreachable or 401 → one clear line").
 */
import { WaltError } from "../../../src/errors.ts";

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host name",
};

/** A short, single-line reason for a network error thrown by fetch. */
export function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "no answer in time";
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && REASONS[code]) return REASONS[code];
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0]?.replace(/[.\s]+$/, "") || "network error";
}

export function unreachable(host: string, err: unknown): WaltError {
  return new WaltError("UNAVAILABLE", `Cannot reach registry ${host}: ${networkReason(err)}.`, { cause: err });
}

export function refused(host: string, status: number, withCredentials: boolean): WaltError {
  return withCredentials
    ? new WaltError("UNAUTHORIZED", `Registry ${host} refused the credentials (HTTP ${status}).`, {
        hint: "Check the username and password (or access token) configured for this registry.",
      })
    : new WaltError("UNAUTHORIZED", `Registry ${host} requires credentials (HTTP ${status}).`, {
        hint: "Configure a username and password (or access token) for this registry; the image may also not exist.",
      });
}

/** `repo:tag`, or `repo@digest` for a pinned reference. */
export const imageName = (repo: string, ref: string): string => (ref.includes(":") ? `${repo}@${ref}` : `${repo}:${ref}`);

export function noSuchImage(host: string, repo: string, ref: string): WaltError {
  return new WaltError("NOT_FOUND", `No such image ${imageName(repo, ref)} on ${host}.`);
}

export function corrupted(host: string, digest: string, why: string): WaltError {
  return new WaltError("EXTERNAL", `Registry ${host} sent corrupted data for ${digest} (${why}).`);
}

/** Any other unexpected answer: the status and the registry's own first error message. */
export async function unexpected(host: string, what: string, res: Response): Promise<WaltError> {
  let detail = "";
  try {
    const body = (await res.text()).slice(0, 4096);
    const first = (JSON.parse(body) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
    if (first) detail = `: ${[first.code, first.message].filter(Boolean).join(" ")}`;
  } catch {
    // not a registry error document: the status says enough
  }
  return new WaltError("EXTERNAL", `Registry ${host} answered HTTP ${res.status} to ${what}${detail.replace(/\s+/g, " ")}.`);
}

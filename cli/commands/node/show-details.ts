/**
 * `walt node show --details`: the latest boot of each listed node, from the server's boot timelines
 * (`nodes.boot-timelines`). WALT has no such view; it answers "where is my node stuck?" at a glance:
 * one line per event with its offset from the boot start, the bytes the server sent, and what a node
 * that is not booted is waiting for.
 */
import type { BootRecord, TimelineEvent } from "../../../src/api/nodes.ts";
import { columnate } from "../../../src/text/table.ts";
import { formatLocalDateTime } from "../../../src/text/log-format.ts";
import { localUtcOffset, type UtcOffset } from "../../../src/text/local-time.ts";
import { formatParagraph } from "../../../src/text/paragraph.ts";
import { formatSize } from "../../../src/text/size.ts";

export interface NodeBoots {
  name: string;
  boots: readonly BootRecord[];
}

export const DETAILS_TITLE = "Latest boot of each node:";
const INDENT = "    ";

/** Decimal units (`1.2 kB`, `8.1 MB`, `512 B`), as `ls -h --si` prints sizes. */
export const humanSize = (bytes: number): string => formatSize(bytes, "si");

/** Seconds since the boot start, one decimal (`+0.0s`, `+14.9s`). */
export const offsetText = (startUs: number, atUs: number): string => `+${(Math.max(0, atUs - startUs) / 1e6).toFixed(1)}s`;

/** `alice/img:latest` → `alice/img` (as `walt image show` names images). */
const imageText = (image: string | null): string => (image === null ? "unknown" : image.replace(/:latest$/, ""));

const lastOf = (r: BootRecord, kinds: readonly TimelineEvent["kind"][]): TimelineEvent | undefined => r.events.findLast((e) => kinds.includes(e.kind));

/**
 * What a boot that did not complete waits for, from the furthest stage it reached (docs/netboot.md: DHCP →
 * boot files → kernel + initrd → root mounted, agent steps → booted). Null when the node booted.
 */
export function bootState(r: BootRecord): { failed: string | null; waitingFor: string } | null {
  if (r.bootedUs !== null) return null;
  const last = r.events.at(-1);
  const failed = last?.kind === "error" ? last.detail : null;
  const retry = "a retry, `walt node reboot`, or `walt node boot` with a compatible image";
  if (failed !== null) return { failed, waitingFor: retry };
  const step = lastOf(r, ["step", "root-mounted"]);
  if (step !== undefined) return { failed: null, waitingFor: `the agent's hand-over to the image's init (last: ${step.detail})` };
  if (lastOf(r, ["kernel"]) !== undefined) return { failed: null, waitingFor: "the kernel to mount the image root over NFS and start the agent" };
  if (lastOf(r, ["boot-file"]) !== undefined) return { failed: null, waitingFor: "the bootloader to fetch the kernel and initrd" };
  const dhcp = lastOf(r, ["dhcp"]);
  if (dhcp?.detail.startsWith("ack") === true) return { failed: null, waitingFor: "the bootloader to fetch its boot files (TFTP or HTTP)" };
  if (dhcp !== undefined) return { failed: null, waitingFor: "the DHCP exchange to complete (request, ack)" };
  return { failed: null, waitingFor: "the node's first DHCP request (a virtual node: its VM start)" };
}

/** One boot: header line, event table (offset, kind, size, detail), then the summary lines. */
export function renderBoot(name: string, r: BootRecord, offset: UtcOffset = localUtcOffset): string {
  const head = `${name}: image ${imageText(r.image)}, cause: ${r.cause}, started ${formatLocalDateTime(r.startUs, offset)}`;
  const rows = r.events.map((e) => [offsetText(r.startUs, e.atUs), e.kind, e.bytes === undefined ? "" : humanSize(e.bytes), e.detail]);
  const table = columnate(null, rows, { align: "><><", shrinkEmptyCols: true })
    .split("\n")
    .map((l) => INDENT + l.trimEnd());
  const served = `${humanSize(r.bytes)} served (boot files, kernel, initrd)`;
  const state = bootState(r);
  const tail: string[] = [];
  if (state === null) tail.push(`booted in ${offsetText(r.startUs, r.bootedUs ?? r.startUs).slice(1)}, ${served}`);
  else {
    // A failure is the last event of the table, printed in full there.
    const at = offsetText(r.startUs, r.events.at(-1)?.atUs ?? r.startUs).slice(1);
    tail.push(state.failed === null ? `NOT booted yet, ${served}` : `boot FAILED at ${at} (the error above), ${served}`);
    tail.push(`waiting for ${state.waitingFor}`);
  }
  return [head, ...table, ...tail.map((l) => INDENT + l)].join("\n");
}

/** The details section: one block per node, its latest boot (or why there is none). */
export function renderDetails(nodes: readonly NodeBoots[], offset: UtcOffset = localUtcOffset): string {
  if (nodes.length === 0) return "";
  const blocks = nodes.map((n) => {
    const r = n.boots.at(-1);
    return r === undefined ? `${n.name}: no boot recorded since the server started (or no network boot on this server)` : renderBoot(n.name, r, offset);
  });
  return formatParagraph(DETAILS_TITLE, blocks.join("\n\n"));
}

/**
 * What the boot services saw, turned into boot timelines, node states and WALT logs: DHCP decisions, boot files
 * served (TFTP, HTTP, emulated bootloader), VM starts and exits, NBD swap connections, and the agent's steps.
 * A node is `booted` when its agent reports the hand-over to the image's init (or a step named `booted`).
 */
import type { BootStep } from "../../src/api/agent.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import type { DhcpEvent } from "../dhcp/handler.ts";
import { platformLog } from "../logs/platform.ts";
import type { BootTimelines } from "./timeline.ts";

/** Events named by the client's address (TFTP, HTTP, NBD). */
export interface IpObserver {
  bootFile(ip: string, path: string, bytes: number, failure: string | undefined, via: "tftp" | "http"): void;
  nbd(ip: string, detail: string): void;
}

const BOOTED_STEPS = new Set(["hand-over", "booted"]);
const KERNEL_FILE = /(^|\/)(kernel|vmlinuz[^/]*|initrd[^/]*|zImage|Image)$/;

export class BootObserver implements IpObserver {
  /** Nodes whose current record was started by the server and awaits its VM start. */
  private readonly awaitingStart = new Set<string>();
  /** Nodes whose VM the server killed on purpose: its exit is not news. */
  private readonly expectedExit = new Set<string>();
  private readonly lastFailure = new Map<string, string>();
  private readonly consoleBuf = new Map<string, string>();

  constructor(
    private readonly ctx: () => ServerContext,
    readonly timelines: BootTimelines,
    /** A node booted: its boot timeout retries start again. */
    private readonly onBooted: (mac: string) => void = () => undefined,
  ) {}

  private warn(e: unknown): void {
    this.ctx().log.warn("netboot: event not recorded", { error: e instanceof Error ? e.message : String(e) });
  }

  private async macOfIp(ip: string): Promise<string | undefined> {
    return (await new DeviceRepo(this.ctx().db).byIp(ip))?.mac;
  }

  /** A boot the server caused (create, reboot, image change, server start). */
  serverStartedBoot(mac: string, cause: string, killedVm: boolean): void {
    this.timelines.begin(mac, cause);
    this.awaitingStart.add(mac);
    if (killedVm) this.expectedExit.add(mac);
    this.lastFailure.delete(mac);
  }

  dhcp(e: DhcpEvent): void {
    if (e.kind === "ignored") return;
    // A DISCOVER (answered by an offer) from a node past its boot loader: the node restarted on its own.
    if (e.kind === "offer" && this.timelines.pastBootloader(e.mac)) {
      this.timelines.begin(e.mac, "node restarted");
      void this.ctx()
        .status.setDown(e.mac, "cause: unknown, method: node restarted")
        .catch((err: unknown) => this.warn(err));
    }
    const detail = `${e.kind} ${e.ip ?? ""}${e.bootFile ? ` boot file ${e.bootFile}` : ""}${e.reason ? ` (${e.reason})` : ""}`.trim();
    this.timelines.add(e.mac, "dhcp", detail, { atUs: e.atUs });
  }

  bootFile(ip: string, path: string, bytes: number, failure: string | undefined, via: "tftp" | "http"): void {
    void this.macOfIp(ip)
      .then((mac) => {
        if (mac === undefined) return;
        if (failure !== undefined) this.timelines.add(mac, "error", `${via} ${path}: ${failure}`);
        else this.timelines.add(mac, KERNEL_FILE.test(path) ? "kernel" : "boot-file", `${via} ${path}`, { bytes });
      })
      .catch((e: unknown) => this.warn(e));
  }

  nbd(ip: string, detail: string): void {
    void this.macOfIp(ip)
      // Its own kind, not "step": the previous boot's swap connection drops while the next boot has begun, and
      // must not make that boot look past its bootloader (no root-mounted event would be recorded).
      .then((mac) => mac !== undefined && this.timelines.add(mac, "nbd", detail))
      .catch((e: unknown) => this.warn(e));
  }

  /** The emulated bootloader read these files and qemu is starting with them. */
  vmStarting(mac: string, files: readonly { path: string; bytes: number }[]): void {
    this.lastFailure.delete(mac);
    if (!this.awaitingStart.delete(mac)) this.timelines.begin(mac, "virtual node restarted (guest reboot or power-off)");
    for (const f of files) this.timelines.add(mac, KERNEL_FILE.test(f.path) ? "kernel" : "boot-file", `emulated iPXE ${f.path}`, { bytes: f.bytes });
    if (files.length === 0) this.timelines.add(mac, "boot-file", "qemu iPXE ROM (PXE boot)");
  }

  vmExited(mac: string, code: number): void {
    if (this.expectedExit.delete(mac)) return;
    void this.ctx()
      .status.setDown(mac, `cause: unknown, method: vnode exit (code ${code})`)
      .catch((e: unknown) => this.warn(e));
  }

  /**
   * The node cannot boot now (no kernel for its model, image missing…). The timeline names the image (the
   * supervisor retries with a back-off: a repeat of the same failure adds nothing), and, once per reason and
   * boot, a WALT log line on the platform stream and on the node's own `netboot` stream (`walt log show`).
   */
  bootFailed(mac: string, reason: string): void {
    const image = this.timelines.current(mac).image;
    const detail = `cannot boot image ${image ?? "(unknown)"}: ${reason}`;
    if (this.lastFailure.get(mac) === reason) return;
    this.lastFailure.set(mac, reason);
    this.timelines.add(mac, "error", detail);
    const ctx = this.ctx();
    void new DeviceRepo(ctx.db)
      .byMac(mac)
      .then(async (d) => {
        await platformLog(ctx, "nodes", `node ${d?.name ?? mac} ${detail}`);
        await ctx.logs.ingest(mac, "netboot", [{ line: detail }]);
      })
      .catch((e: unknown) => this.warn(e));
  }

  /** Serial console output of a virtual node → WALT log stream `virtualconsole`. */
  console(mac: string, text: string): void {
    const buf = (this.consoleBuf.get(mac) ?? "") + text.replace(/\r/g, "");
    const lines = buf.split("\n");
    const rest = lines.pop() ?? "";
    this.consoleBuf.set(mac, rest.length > 4096 ? "" : rest);
    if (lines.length === 0) return;
    void this.ctx()
      .logs.ingest(mac, "virtualconsole", lines.map((line) => ({ line })))
      .catch((e: unknown) => this.warn(e));
  }

  /** Steps reported by the agent (POST /api/node/v1/boot-steps). */
  async steps(mac: string, steps: readonly BootStep[]): Promise<void> {
    const ctx = this.ctx();
    if (!this.timelines.pastBootloader(mac)) this.timelines.add(mac, "root-mounted", "image root mounted over NFS (the agent runs from it)");
    let booted = false;
    for (const s of steps) {
      this.timelines.add(mac, s.status === "failed" ? "error" : "step", `${s.step}: ${s.status}, ${s.detail}`);
      if (BOOTED_STEPS.has(s.step) && s.status === "ok") booted = true;
    }
    await ctx.logs.ingest(mac, "walt-init", steps.map((s) => ({ line: `walt-init: ${s.step}: ${s.status}, ${s.detail}` })));
    if (booted) {
      this.timelines.add(mac, "booted", "the agent handed over to the image's init");
      this.onBooted(mac);
      await ctx.status.setBooted(mac);
    }
  }

  forget(mac: string): void {
    this.timelines.forget(mac);
    this.awaitingStart.delete(mac);
    this.expectedExit.delete(mac);
    this.lastFailure.delete(mac);
    this.consoleBuf.delete(mac);
  }
}

/**
 * An emulated iPXE bootloader (WALT §7.3, `fakeipxe.py`): runs the boot scripts an image provides
 * (`/boot/<model>/start.ipxe`) without firmware, to learn which kernel, initrd and command line to boot.
 * Virtual nodes use it to boot qemu directly (-kernel/-initrd/-append), skipping the PXE ROM.
 *
 * Supported: comments, `#!ipxe`, `a && b`, `a || b`, `${var}` / `${var:hexhyp}` expansion, `set`, `echo`,
 * `chain`, `imgfree`, `initrd`, `kernel`, `boot`, `sleep`, `reboot`, `:label` and `goto`, `isset`, `iseq`.
 * Anything else aborts with WALT's message, so an image relying on a feature we lack fails loudly.
 */
import { WaltError } from "../../errors.ts";

/** What the script decided to boot. */
export interface BootSpec {
  kernel: string;
  initrd: string | undefined;
  cmdline: string;
}

export interface IpxeHost {
  /** Fetch a script or file by URL (`tftp://…`, `http://…`) or by path relative to the boot tree root. */
  fetchText(url: string): Promise<string>;
  /** Messages of `echo`. */
  echo?(line: string): void;
}

const MAX_STEPS = 10_000; // a script looping on `goto` must not hang the server

type Outcome = { kind: "ok" } | { kind: "fail" } | { kind: "boot" } | { kind: "reboot" } | { kind: "goto"; label: string };

export class IpxeInterpreter {
  private readonly vars: Map<string, string>;
  private kernel: { url: string; args: string } | undefined;
  private initrd: string | undefined;
  private dir = "/";
  private steps = 0;

  constructor(
    private readonly host: IpxeHost,
    vars: Record<string, string>,
  ) {
    this.vars = new Map(Object.entries(vars));
  }

  /** Run `chain <first>` and return what to boot, or undefined when the script asked for a reboot. */
  async run(first = "/start.ipxe"): Promise<BootSpec | undefined> {
    const r = await this.chain(first);
    if (r.kind === "reboot") return undefined;
    if (!this.kernel) throw new WaltError("EXTERNAL", "[fake-ipxe] The boot script ended without booting a kernel.");
    return { kernel: this.kernel.url, initrd: this.initrd, cmdline: this.kernel.args };
  }

  /** `${name}` and `${name:hexhyp}` (MAC with dashes) expansion; unknown variables expand to "". */
  expand(text: string): string {
    return text.replace(/\$\{([^}:]+)(?::([a-z]+))?\}/g, (_m, name: string, type: string | undefined) => {
      const v = this.vars.get(name) ?? "";
      return type === "hexhyp" ? v.replace(/:/g, "-") : v;
    });
  }

  private resolve(url: string): string {
    if (/^[a-z]+:\/\//.test(url) || url.startsWith("/")) return url;
    return this.dir + url;
  }

  private async chain(url: string): Promise<Outcome> {
    const target = this.resolve(url);
    const text = await this.host.fetchText(target);
    const saved = this.dir;
    this.dir = target.replace(/[^/]*$/, "");
    try {
      return await this.script(text);
    } finally {
      this.dir = saved;
    }
  }

  private async script(text: string): Promise<Outcome> {
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    for (let i = 0; i < lines.length; i++) {
      if (++this.steps > MAX_STEPS) throw new WaltError("EXTERNAL", "[fake-ipxe] The boot script runs too long (a goto loop?). Aborted.");
      const line = lines[i] ?? "";
      if (line === "" || line.startsWith("#") || line.startsWith(":")) continue;
      const r = await this.commandLine(line);
      if (r.kind === "goto") {
        const at = lines.indexOf(`:${r.label}`);
        if (at < 0) throw new WaltError("EXTERNAL", `[fake-ipxe] No label "${r.label}" in the boot script. Aborted.`);
        i = at;
        continue;
      }
      if (r.kind !== "ok") return r;
    }
    return { kind: "ok" };
  }

  /** `a || b && c`: evaluated left to right as iPXE does, `||` runs its right side only after a failure. */
  private async commandLine(line: string): Promise<Outcome> {
    const parts = line.split(/\s*(\|\||&&)\s*/);
    let last: Outcome = await this.command(parts[0] ?? "");
    for (let k = 1; k + 1 < parts.length; k += 2) {
      const op = parts[k];
      if (last.kind === "boot" || last.kind === "reboot" || last.kind === "goto") return last;
      const ok = last.kind === "ok";
      if ((op === "&&" && ok) || (op === "||" && !ok)) last = await this.command(parts[k + 1] ?? "");
    }
    return last;
  }

  private async command(raw: string): Promise<Outcome> {
    const words = this.expand(raw).split(/\s+/).filter((w) => w !== "");
    const [cmd = "", ...args] = words;
    switch (cmd) {
      case "set":
        this.vars.set(args[0] ?? "", args.slice(1).join(" "));
        return { kind: "ok" };
      case "echo":
        this.host.echo?.(args.join(" "));
        return { kind: "ok" };
      case "isset":
        return { kind: (this.vars.get(args[0] ?? "") ?? "") !== "" ? "ok" : "fail" };
      case "iseq":
        return { kind: args[0] === args[1] ? "ok" : "fail" };
      case "goto":
        return { kind: "goto", label: args[0] ?? "" };
      case "chain":
        return this.tryChain(args);
      case "imgfree":
      case "sleep":
      case "dhcp":
        return { kind: "ok" };
      case "kernel":
        this.kernel = { url: this.resolve(args[0] ?? ""), args: args.slice(1).join(" ") };
        return { kind: "ok" };
      case "initrd":
        this.initrd = this.resolve(args[0] ?? "");
        return { kind: "ok" };
      case "boot":
        if (args[0]) this.kernel = { url: this.resolve(args[0]), args: args.slice(1).join(" ") };
        return this.kernel ? { kind: "boot" } : { kind: "fail" };
      case "reboot":
        return { kind: "reboot" };
      default:
        throw new WaltError("EXTERNAL", `[fake-ipxe] Unknown directive "${cmd}". Aborted.`);
    }
  }

  private async tryChain(args: string[]): Promise<Outcome> {
    const url = args.find((a) => !a.startsWith("--"));
    if (!url) return { kind: "fail" };
    try {
      const r = await this.chain(url);
      return r.kind === "ok" ? { kind: "ok" } : r;
    } catch (e) {
      if (e instanceof WaltError && e.message.startsWith("[fake-ipxe]")) throw e;
      return { kind: "fail" };
    }
  }
}

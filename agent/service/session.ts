/**
 * The decisions of the node's network service for one connection (WALT §3.8, `walt-net-service-handler`), with
 * no I/O: the socket layer (server.ts) feeds it lines, read timeouts and end of input, and carries out what it
 * returns. WALT's rules, in its order: an empty line or end of input ends the connection silently, a blank one is
 * skipped; `CLOSE` always answers; `MODE <m>` sets the mode; any other request before `MODE` is refused; `PING`
 * answers `OK`; unknown requests get no answer; in any mode but `multi` the connection ends after one request.
 */
import { REPLY } from "../../src/proto/netservice/protocol.ts";

/** Something the socket layer must do, in order. */
export type ServiceAction =
  | { kind: "reply"; line: string }
  /** `OK`, a blank line, then the kernel log. */
  | { kind: "dmesg" }
  /** Run `/bin/blink <arg>` and answer how it went. */
  | { kind: "blink"; arg: string }
  /** Answer `OK` (or the KO of a custom reboot script that cannot run), then reboot once the reply is sent. */
  | { kind: "reboot" }
  | { kind: "shell" };

export interface Decision {
  actions: ServiceAction[];
  /** End the connection after the actions. */
  close: boolean;
}

const keepOpen = (...actions: ServiceAction[]): Decision => ({ actions, close: false });
const closeWith = (...actions: ServiceAction[]): Decision => ({ actions, close: true });
const reply = (line: string): ServiceAction => ({ kind: "reply", line });

export class ServiceSession {
  /** WALT keeps the word as given: anything but `multi` behaves as `single`. */
  private mode: string | undefined;

  get currentMode(): string | undefined {
    return this.mode;
  }

  onLine(line: string): Decision {
    // WALT's handler stops on an empty read (`[ -z "$line" ]`) but skips a line of blanks (`set -- $line`).
    if (line === "") return closeWith();
    const words = line.trim().split(/\s+/);
    const req = words[0] ?? "";
    const args = words.slice(1).join(" ");
    if (req === "") return keepOpen();
    if (req === "CLOSE") return closeWith(reply(REPLY.closing));
    if (req === "MODE") {
      this.mode = args;
      return keepOpen();
    }
    if (this.mode === undefined) return closeWith(reply(REPLY.noMode));
    const actions = this.request(req, args);
    // The machine goes down after REBOOT: nothing more will be read, whatever the mode.
    const rebooting = actions.some((a) => a.kind === "reboot");
    return { actions, close: rebooting || this.mode !== "multi" };
  }

  /** No complete line within the read timeout (WALT: 15 s). */
  onTimeout(): Decision {
    return closeWith(reply(REPLY.timeout));
  }

  /** The client closed its side. */
  onEnd(): Decision {
    return closeWith();
  }

  private request(req: string, args: string): ServiceAction[] {
    switch (req) {
      case "PING":
        return [reply(REPLY.ok)];
      case "DMESG":
        return [{ kind: "dmesg" }];
      case "SHELL":
        return [{ kind: "shell" }];
      case "REBOOT":
        return [{ kind: "reboot" }];
      case "BLINK":
        return [{ kind: "blink", arg: args }];
      default:
        return [];
    }
  }
}

import { describe, expect, test } from "bun:test";
import { REPLY } from "../../src/proto/netservice/protocol.ts";
import { ServiceSession, type Decision } from "./session.ts";

/** Feed lines in order; the decisions, each as its actions' text plus `close` when it ends the connection. */
function talk(...lines: string[]): string[][] {
  const s = new ServiceSession();
  return lines.map((l) => show(s.onLine(l)));
}

const show = (d: Decision): string[] => [...d.actions.map((a) => (a.kind === "reply" ? a.line : a.kind === "blink" ? `blink ${a.arg}` : a.kind)), ...(d.close ? ["close"] : [])];

describe("node network service session (WALT's walt-net-service-handler)", () => {
  test("the server's soft reboot: MODE single then REBOOT, and the connection ends", () => {
    expect(talk("MODE single", "REBOOT")).toEqual([[], ["reboot", "close"]]);
  });

  test("a request before MODE is refused with WALT's words and the connection ends", () => {
    expect(talk("PING")).toEqual([[REPLY.noMode, "close"]]);
    expect(REPLY.noMode).toBe('KO Start by specifying "MODE [single|multi]". Closing on my side.');
  });

  test("single mode answers one request; multi mode goes on until CLOSE", () => {
    expect(talk("MODE single", "PING")).toEqual([[], ["OK", "close"]]);
    expect(talk("MODE multi", "PING", "DMESG", "BLINK 1", "SHELL", "CLOSE")).toEqual([[], ["OK"], ["dmesg"], ["blink 1"], ["shell"], ["OK Closing on my side.", "close"]]);
  });

  test("REBOOT ends the connection even in multi mode (the machine goes down)", () => {
    expect(talk("MODE multi", "REBOOT")).toEqual([[], ["reboot", "close"]]);
  });

  test("CLOSE answers before MODE too; blank lines are skipped; an empty line ends silently", () => {
    expect(talk("CLOSE")).toEqual([["OK Closing on my side.", "close"]]);
    expect(talk("   ", "MODE  multi ", "\tPING")).toEqual([[], [], ["OK"]]);
    expect(talk("MODE multi", "")).toEqual([[], ["close"]]);
  });

  test("an unknown request gets no answer: the connection ends in single mode, goes on in multi", () => {
    expect(talk("MODE single", "FOO")).toEqual([[], ["close"]]);
    expect(talk("MODE multi", "FOO", "PING")).toEqual([[], [], ["OK"]]);
  });

  test("any mode word but multi behaves as single, as WALT's shell test does", () => {
    const s = new ServiceSession();
    expect(show(s.onLine("MODE"))).toEqual([]);
    expect(s.currentMode).toBe("");
    expect(show(s.onLine("PING"))).toEqual(["OK", "close"]);
  });

  test("the read timeout answers TIMEOUT and ends; end of input ends silently", () => {
    expect(show(new ServiceSession().onTimeout())).toEqual(["TIMEOUT Closing on my side.", "close"]);
    expect(show(new ServiceSession().onEnd())).toEqual(["close"]);
  });
});

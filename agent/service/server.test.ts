import { describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { SHELL_UNSUPPORTED, startNodeService, type RunningService, type ServiceActions } from "./server.ts";

interface Fake extends ServiceActions {
  events: string[];
}

function fakeActions(refusal?: string): Fake {
  const events: string[] = [];
  return {
    events,
    dmesg: () => Promise.resolve("[    0.000000] Linux version 6.1\n"),
    blink: (arg) => {
      events.push(`blink ${arg}`);
      return Promise.resolve("OK");
    },
    rebootRefusal: () => Promise.resolve(refusal),
    reboot: () => {
      events.push("reboot");
      return Promise.resolve();
    },
  };
}

async function withService(actions: ServiceActions, run: (svc: RunningService) => Promise<void>, readTimeoutMs = 5_000): Promise<void> {
  const svc = await startNodeService({ port: 0, host: "127.0.0.1", actions, readTimeoutMs, log: () => undefined });
  try {
    await run(svc);
  } finally {
    await svc.close();
  }
}

/** Send `chunks` (one write each), then read until the service closes the connection. */
function exchange(port: number, chunks: string[], onClose?: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const sock = connect({ port, host: "127.0.0.1" }, () => {
      for (const c of chunks) sock.write(c);
    });
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => (got += d));
    sock.on("error", reject);
    sock.on("close", () => {
      onClose?.();
      resolve(got);
    });
  });
}

describe("walt agent service over TCP (loopback, port 0)", () => {
  test("MODE single + REBOOT: OK, the connection is closed, then the machine reboots", async () => {
    const actions = fakeActions();
    await withService(actions, async (svc) => {
      expect(await exchange(svc.port, ["MODE single\nREBOOT\n"], () => actions.events.push("client saw close"))).toBe("OK\n");
      await waitFor(() => actions.events.includes("reboot"), "the reboot");
      expect(actions.events).toEqual(["client saw close", "reboot"]);
    });
  });

  test("a custom reboot script that cannot run is a KO, and nothing reboots", async () => {
    const actions = fakeActions("/bin/walt-reboot is not executable on image");
    await withService(actions, async (svc) => {
      expect(await exchange(svc.port, ["MODE single\n", "REBOOT\n"])).toBe("KO /bin/walt-reboot is not executable on image\n");
      expect(actions.events).toEqual([]);
    });
  });

  test("multi mode: requests split across packets, CRLF lines, DMESG, BLINK, SHELL, CLOSE", async () => {
    const actions = fakeActions();
    await withService(actions, async (svc) => {
      const out = await exchange(svc.port, ["MODE mu", "lti\r\nPI", "NG\nDMESG\n", "BLINK 1\nSHELL\nCLOSE\n"]);
      expect(out).toBe(`OK\nOK\n\n[    0.000000] Linux version 6.1\nOK\n${SHELL_UNSUPPORTED}\nOK Closing on my side.\n`);
      expect(actions.events).toEqual(["blink 1"]);
    });
  });

  test("no MODE first: WALT's KO; silence: TIMEOUT after the read timeout", async () => {
    await withService(
      fakeActions(),
      async (svc) => {
        expect(await exchange(svc.port, ["PING\n"])).toBe('KO Start by specifying "MODE [single|multi]". Closing on my side.\n');
        expect(await exchange(svc.port, ["MODE multi\n"])).toBe("TIMEOUT Closing on my side.\n");
      },
      100,
    );
  });

  test("serves clients at once, and a line with no end is cut instead of filling memory", async () => {
    await withService(fakeActions(), async (svc) => {
      const replies = await Promise.all([1, 2, 3].map(() => exchange(svc.port, ["MODE single\nPING\n"])));
      expect(replies).toEqual(["OK\n", "OK\n", "OK\n"]);
      expect(await exchange(svc.port, ["MODE multi\n", "x".repeat(100_000), "\nPING\nCLOSE\n"])).toBe("OK\nOK Closing on my side.\n");
    });
  });
});

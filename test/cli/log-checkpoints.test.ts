/** `walt log add-checkpoint | remove-checkpoint | list-checkpoints` (WALT §1.8): per-user points in time. */
import { describe, expect, test } from "bun:test";
import { checkpointDate } from "../../cli/commands/log/checkpoints.ts";
import { manualClock } from "../../src/clock.ts";
import { INVALID_DATE } from "../../src/domain/history-range.ts";
import { INVALID_CHECKPOINT_NAME } from "../../src/domain/names.ts";
import { startTestServer } from "../helpers/server.ts";

const NOW = 1_800_000_000_123_456;
const server = () => startTestServer({ clock: manualClock(NOW) });

describe("walt log checkpoints", () => {
  test("a user without checkpoints is told so", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["log", "list-checkpoints"])).toEqual({ code: 0, out: "You own no checkpoints.\n", err: "" });
  });

  test("a checkpoint is recorded at the server's time, shown as Python prints a datetime", async () => {
    await using s = await server();
    expect(checkpointDate(NOW)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456$/);
    expect(await s.cli("alice", ["log", "add-checkpoint", "exp-1"])).toEqual({
      code: 0,
      out: `New checkpoint exp-1 recorded at server time: ${checkpointDate(NOW)}.\n`,
      err: "",
    });
  });

  test("--date takes a local date or a time relative to the server's; the list is a table in time order", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["log", "add-checkpoint", "--date", "-1h", "hour-ago"])).out).toBe(
      `New checkpoint hour-ago recorded at server time: ${checkpointDate(NOW - 3600e6)}.\n`,
    );
    expect((await s.cli("alice", ["log", "add-checkpoint", "--date", "2020-01-15 10:20:30", "fixed"])).out).toBe(
      "New checkpoint fixed recorded at server time: 2020-01-15 10:20:30.\n",
    );
    const hourAgo = checkpointDate(NOW - 3600e6); // 26 characters, with microseconds
    expect(await s.cli("alice", ["log", "list-checkpoints"])).toEqual({
      code: 0,
      out: `timestamp                   name    \n--------------------------  --------\n2020-01-15 10:20:30         fixed   \n${hourAgo}  hour-ago\n`,
      err: "",
    });
  });

  test("checkpoints belong to their user", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["log", "add-checkpoint", "mine"])).code).toBe(0);
    expect((await s.cli("bob", ["log", "list-checkpoints"])).out).toBe("You own no checkpoints.\n");
    expect((await s.cli("bob", ["log", "add-checkpoint", "mine"])).code).toBe(0);
  });

  test("an unparsable date, an invalid name or an existing name is refused", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["log", "add-checkpoint", "--date", "yesterday", "cp"])).toEqual({ code: 1, out: "", err: INVALID_DATE + "\n" });
    expect(await s.cli("alice", ["log", "add-checkpoint", "--", "-cp"])).toEqual({ code: 1, out: "", err: INVALID_CHECKPOINT_NAME + "\n" });
    expect(await s.cli("alice", ["log", "add-checkpoint", "c"])).toEqual({ code: 1, out: "", err: INVALID_CHECKPOINT_NAME + "\n" });
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp"])).code).toBe(0);
    expect(await s.cli("alice", ["log", "add-checkpoint", "cp"])).toEqual({ code: 1, out: "", err: "Failed: a checkpoint with this name already exists.\n" });
  });

  test("the date is checked before the name, as in WALT", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["log", "add-checkpoint", "--date", "nope", "c"])).err).toBe(INVALID_DATE + "\n");
  });

  test("removing a checkpoint says Done., an unknown one is reported", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp"])).code).toBe(0);
    expect(await s.cli("bob", ["log", "remove-checkpoint", "cp"])).toEqual({ code: 1, out: "", err: "Failed: no checkpoint with this name 'cp'.\n" });
    expect(await s.cli("alice", ["log", "remove-checkpoint", "cp"])).toEqual({ code: 0, out: "Done.\n", err: "" });
    expect((await s.cli("alice", ["log", "list-checkpoints"])).out).toBe("You own no checkpoints.\n");
  });
});

import { describe, expect, test } from "bun:test";
import { FakeSys } from "../sys/fake.ts";
import { fakeContext } from "../testing.ts";
import { readAheadStep } from "./read-ahead.ts";

const BDI = "/sys/class/bdi/0:24/read_ahead_kb";

describe("read-ahead step", () => {
  test("puts back the read-around the initramfs recorded in boot.env", async () => {
    const sys = new FakeSys({ [BDI]: "32" });
    const bootEnv = { lower_bdi: "0:24", lower_read_ahead_kb: "128" };
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv, lower: "/run/walt/lower" }));
    expect(sys.files.get(BDI)).toBe("128");
    expect(r).toEqual({ status: "ok", detail: "read_ahead_kb of /run/walt/lower back to 128" });
  });

  test("nothing recorded (standalone boot, another initramfs): skipped, nothing written", async () => {
    const sys = new FakeSys({});
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv: {} }));
    expect(r.status).toBe("skipped");
    expect(sys.only("write")).toEqual([]);
  });

  test("values that would build another path are refused", async () => {
    const sys = new FakeSys({});
    const r = await readAheadStep.run(fakeContext(sys, { bootEnv: { lower_bdi: "../../../etc", lower_read_ahead_kb: "1" } }));
    expect(r).toEqual({ status: "skipped", detail: "unexpected lower_bdi='../../../etc' lower_read_ahead_kb='1' in boot.env" });
    expect(sys.only("write")).toEqual([]);
  });
});

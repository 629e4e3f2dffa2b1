import { describe, expect, test } from "bun:test";
import { Wakeup } from "./wakeup.ts";

describe("Wakeup", () => {
  test("wake() ends the sleep before its timeout", async () => {
    const w = new Wakeup();
    const started = performance.now();
    const slept = w.sleep(10_000);
    w.wake();
    await slept;
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test("without wake(), the sleep ends at its timeout; a wake() with no sleeper does nothing", async () => {
    const w = new Wakeup();
    w.wake();
    const started = performance.now();
    await w.sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});

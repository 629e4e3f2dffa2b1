import { describe, expect, test } from "bun:test";
import { WaltError } from "../../../src/errors.ts";
import { findTool, run } from "./exec.ts";

async function failure(p: Promise<unknown>): Promise<WaltError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WaltError)) throw new Error(`expected a WaltError, got ${String(err)}`);
  return err;
}

describe("recipe child processes", () => {
  test("a missing tool names the Debian package to install", async () => {
    const err = await failure(run("walt-no-such-tool", []));
    expect(err.code).toBe("PRECONDITION");
    expect(err.message).toBe("walt-no-such-tool is not installed; building the default images needs it.");
    expect(err.hint).toBe("apt-get install walt-no-such-tool");
  });

  test("kmod tools are found in sbin even when PATH lacks it, and named by their package", () => {
    expect(findTool("depmod")).toMatch(/\/depmod$/);
  });

  test("a failing tool quotes its exit code and stderr; a slow one is stopped at its timeout", async () => {
    const failed = await failure(run("sh", ["-c", "echo boom >&2; exit 3"]));
    expect(failed.code).toBe("EXTERNAL");
    expect(failed.message).toBe("sh -c echo boom >&2; exit 3 failed (exit 3):\nboom");
    const slow = await failure(run("tail", ["-f", "/dev/null"], { timeoutMs: 100 }));
    expect(slow.message).toBe("tail -f /dev/null timed out after 0.1 s.");
  });

  test("stdout is answered", async () => {
    expect(await run("sh", ["-c", "echo hello"])).toBe("hello");
  });
});

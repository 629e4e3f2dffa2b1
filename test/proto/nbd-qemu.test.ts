/**
 * Interoperability of the NBD swap server with an independent client: qemu's (qemu-io, qemu-img from Debian's
 * qemu-utils). Skipped with a message when qemu-utils is not installed.
 */
import { describe, expect, test } from "bun:test";
import { startNbdServer } from "../helpers/nbd-server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const qemuIo = Bun.which("qemu-io");
const qemuImg = Bun.which("qemu-img");
// A missing client is a failure, never a skip: .ci/setup.sh installs qemu-utils.
test("qemu's NBD tools are installed (apt-get install qemu-utils)", () => {
  expect(qemuIo).toBeTruthy();
  expect(qemuImg).toBeTruthy();
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: out + err };
}

describe("nbd server with qemu's client", () => {
  test("qemu-img sees the size a node asks for: swap-1G is 1 GiB", async () => {
    await using nbd = await startNbdServer();
    const r = await run([qemuImg ?? "", "info", "--output=json", `nbd://127.0.0.1:${nbd.port}/swap-1G`]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { "virtual-size": number })["virtual-size"]).toBe(2 ** 30);
  });

  test("qemu-io writes, reads back, discards and zeroes; its swap file is gone when it exits", async () => {
    await using nbd = await startNbdServer();
    const commands = [
      "write -P 0xab 0 64k",
      "read -P 0xab 0 64k",
      "write -P 0xcd 1023k 3M",
      "read -P 0xcd 1023k 3M",
      "read -P 0 8M 4k",
      "write -P 0x11 1020M 4M",
      "read -P 0x11 1020M 4M",
      "discard 0 64k",
      "write -z 1M 1M",
      "read -P 0 1M 1M",
      "flush",
    ];
    const r = await run([qemuIo ?? "", "-f", "raw", `nbd://127.0.0.1:${nbd.port}/swap-1G`, ...commands.flatMap((c) => ["-c", c])]);
    expect(r.out).not.toContain("Pattern verification failed");
    expect(r.code).toBe(0);
    await waitFor(() => nbd.files().length === 0 && nbd.events.length === 2, "swap file removal");
    expect(nbd.events).toEqual(["connect swap-1G", "disconnect swap-1G"]);
  });

  test("qemu-io's pipelined asynchronous requests are all answered, in order", async () => {
    await using nbd = await startNbdServer();
    const commands = [
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `aio_write -P 0x${(0x20 + i).toString(16)} ${i * 512}k 512k`),
      "aio_flush",
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `aio_read -P 0x${(0x20 + i).toString(16)} ${i * 512}k 512k`),
      "aio_flush",
    ];
    const r = await run([qemuIo ?? "", "-f", "raw", `nbd://127.0.0.1:${nbd.port}/swap-64M`, ...commands.flatMap((c) => ["-c", c])]);
    expect(r.out).not.toContain("Pattern verification failed");
    expect(r.out.match(/^read 524288\/524288 bytes/gm)?.length).toBe(8);
    expect(r.code).toBe(0);
  });

  test("qemu reports the server's message when a size above the limit is asked for", async () => {
    await using nbd = await startNbdServer();
    const r = await run([qemuImg ?? "", "info", `nbd://127.0.0.1:${nbd.port}/swap-17G`]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Export "swap-17G" asks for 17 GiB, more than the 16 GiB this server allows.');
    expect(nbd.files()).toEqual([]);
  });
});

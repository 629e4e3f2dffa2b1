/** The TFTP service's lifecycle (model-codebases §4.7, §4.14 layer 2). */
import { expect, test } from "bun:test";
import { WaltError } from "../../src/errors.ts";
import { silentLogger } from "../../src/log.ts";
import { createTftpServer } from "../../server/tftp/server.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { tftpGet, UdpPeer } from "../helpers/tftp-client.ts";
import { makeTree, pseudoRandom, startTftp } from "../fixtures/tftp/tree.ts";

test("stop() aborts transfers in flight, tells their clients, returns within its deadline, and frees the port", async () => {
  using tree = makeTree({ "big.bin": pseudoRandom(200_000) });
  const tftp = await startTftp(tree);
  using peer = await UdpPeer.open();
  peer.send({ op: "rrq", filename: "big.bin", mode: "octet", options: [] }, tftp.port);
  const first = await peer.next();
  expect(first?.packet).toMatchObject({ op: "data", block: 1 });

  const t0 = performance.now();
  await tftp.server.stop(AbortSignal.timeout(2000));
  expect(performance.now() - t0).toBeLessThan(1000);
  await tftp.server.done;
  expect((await peer.next())?.packet).toEqual({ op: "error", code: 0, message: "Server shutting down" });
  const e = await waitFor(() => tftp.events.find((x) => x.path === "big.bin"), "the aborted transfer's event");
  expect(e).toMatchObject({ kind: "failed", reason: "Server shutting down" });
  await tftp.server.stop(AbortSignal.timeout(100)); // idempotent

  // The same port is free again: a new server binds it and serves.
  const again = await startTftp(tree, { port: tftp.port });
  expect(again.port).toBe(tftp.port);
  const r = await tftpGet({ port: again.port, path: "big.bin", options: { blksize: 1468, windowsize: 8 } });
  expect(r.ok && r.data.length).toBe(200_000);
  await again[Symbol.asyncDispose]();
});

test("stop() with an expired deadline still releases everything at once", async () => {
  using tree = makeTree({ "a.bin": pseudoRandom(100_000) });
  const tftp = await startTftp(tree);
  using peer = await UdpPeer.open();
  peer.send({ op: "rrq", filename: "a.bin", mode: "octet", options: [] }, tftp.port);
  await peer.next();
  await tftp.server.stop(AbortSignal.abort());
  await tftp.server.done;
  const again = await startTftp(tree, { port: tftp.port });
  await again[Symbol.asyncDispose]();
});

test("a port already in use gives a clear error", async () => {
  using tree = makeTree({});
  await using tftp = await startTftp(tree);
  const second = createTftpServer({ host: "127.0.0.1", port: tftp.port, routes: [], logger: silentLogger });
  const err = await second.start().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WaltError);
  expect(err).toMatchObject({ code: "UNAVAILABLE", message: `TFTP cannot listen on 127.0.0.1:${tftp.port}: address in use` });
});

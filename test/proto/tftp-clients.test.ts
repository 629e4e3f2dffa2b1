/**
 * The TFTP service against real clients: atftp (blksize, tsize, windowsize) and tftp-hpa's client (plain
 * RFC 1350, octet and netascii). A missing client fails the run (Debian packages
 * `atftp` and `tftp-hpa`).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTree, pseudoRandom, startTftp, type RunningTftp, type TftpTree } from "../fixtures/tftp/tree.ts";

const atftp = Bun.which("atftp");
const tftpHpa = Bun.which("tftp");
// A missing client is a failure, never a skip: .ci/setup.sh installs both.
test("the reference TFTP clients are installed (apt-get install atftp tftp-hpa)", () => {
  expect(atftp).toBeTruthy();
  expect(tftpHpa).toBeTruthy();
});

const SIZES = [0, 511, 512, 513, 1024 * 1024];
const files: Record<string, Uint8Array> = Object.fromEntries(SIZES.map((n) => [`f${n}.bin`, pseudoRandom(n, n + 1)]));
const text = "one\ntwo\r\nbare\rcr\n";

let tree: TftpTree;
let tftp: RunningTftp;
let out: string;
beforeAll(async () => {
  tree = makeTree({ ...files, "notes.txt": text });
  tftp = await startTftp(tree);
  out = mkdtempSync(join(tmpdir(), "walt-tftp-out-"));
});
afterAll(async () => {
  await tftp[Symbol.asyncDispose]();
  tree[Symbol.dispose]();
  rmSync(out, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const p = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", cwd: out });
  const [code, stdout, stderr] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, stdout, stderr };
}

let n = 0;
const outFile = (): string => join(out, `out-${n++}`);

describe("tftp with atftp", () => {
  const matrix = SIZES.flatMap((size) => [512, 1468, 8192].flatMap((blksize) => [1, 8].map((w) => [size, blksize, w] as const)));
  test.each(matrix)("atftp gets a %d-byte file byte-identical with blksize %d, windowsize %d", async (size, blksize, windowsize) => {
    const local = outFile();
    const r = await run([atftp ?? "", "--get", "-r", `f${size}.bin`, "-l", local, "--option", "tsize", "--option", `blksize ${blksize}`, "--option", `windowsize ${windowsize}`, "127.0.0.1", String(tftp.port)]);
    expect(r.code).toBe(0);
    expect(Buffer.compare(readFileSync(local), files[`f${size}.bin`] ?? new Uint8Array())).toBe(0);
  });

  test("atftp follows the block number past 65535 (blksize 16: 65537 blocks, the last one empty)", async () => {
    const local = outFile();
    const r = await run([atftp ?? "", "--get", "-r", "f1048576.bin", "-l", local, "--option", "blksize 16", "--option", "windowsize 16", "127.0.0.1", String(tftp.port)]);
    expect(r.code).toBe(0);
    expect(Buffer.compare(readFileSync(local), files["f1048576.bin"] ?? new Uint8Array())).toBe(0);
  });

  test.each([
    ["../secret.txt", "Access violation"],
    ["/../../etc/passwd", "Access violation"],
    ["escape", "Access violation"],
    ["missing.bin", "File not found"],
  ])("atftp asking for %s gets %s", async (path, message) => {
    const r = await run([atftp ?? "", "--get", "-r", path, "-l", outFile(), "127.0.0.1", String(tftp.port)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`<${message}>`);
  });

  test("atftp cannot write", async () => {
    const r = await run([atftp ?? "", "--put", "-l", join(tree.boot, "f511.bin"), "-r", "up.bin", "127.0.0.1", String(tftp.port)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("<Access violation>");
  });
});

describe("tftp with the tftp-hpa client", () => {
  test.each(SIZES)("tftp-hpa gets a %d-byte file in binary mode", async (size) => {
    const local = outFile();
    const r = await run([tftpHpa ?? "", "-m", "binary", "127.0.0.1", String(tftp.port), "-c", "get", `f${size}.bin`, local]);
    expect(r.stderr + r.stdout).toBe("");
    expect(Buffer.compare(readFileSync(local), files[`f${size}.bin`] ?? new Uint8Array())).toBe(0);
  });

  test("tftp-hpa in ascii mode gets the text back unchanged (netascii both ways)", async () => {
    const local = outFile();
    await run([tftpHpa ?? "", "-m", "ascii", "127.0.0.1", String(tftp.port), "-c", "get", "notes.txt", local]);
    expect(readFileSync(local, "utf8")).toBe(text);
  });

  test("tftp-hpa asking for a missing file is told so", async () => {
    const r = await run([tftpHpa ?? "", "-m", "binary", "127.0.0.1", String(tftp.port), "-c", "get", "missing.bin", outFile()]);
    expect(r.stderr + r.stdout).toContain("Error code 1: File not found");
  });
});

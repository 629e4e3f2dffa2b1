/**
 * `walt image shell <image>` (WALT §1.5, §4.8): a shell in the image, relayed over one duplex request, then
 * WALT's save dialogue (new name, or the same name to overwrite the image after confirmation).
 *
 * On a terminal, the local terminal is put in raw mode and the server allocates a pseudo-terminal. Otherwise
 * input lines are forwarded up to and including a line `exit` (or the end of input): the lines after it answer
 * the save dialogue, so `printf 'cmd\nexit\nnew-name\n' | walt image shell img` works as a script.
 */
import { NDJSON_CONTENT_TYPE, ShellServerEvent, imageShell, type SaveStatus, type ShellClientEvent } from "../../../src/api/image-content.ts";
import { CancelledError, WaltError } from "../../../src/errors.ts";
import type { CliContext } from "../../context.ts";
import type { CommandDef } from "../../framework/types.ts";
import { confirm } from "../../ui/confirm.ts";
import { PROTOCOL_ISSUE } from "../../client.ts";
import { ndjson, rawPost, strictly } from "./content-call.ts";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** stdin lines, with one read in flight shared by whoever asks next (the relay, then the dialogue). */
class Lines {
  private inflight: Promise<string | undefined> | undefined;
  constructor(private readonly ctx: CliContext) {}
  read(): Promise<string | undefined> {
    if (this.inflight) return this.inflight;
    const p = this.ctx.io.stdin.readLine();
    this.inflight = p;
    void p.finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    return p;
  }
}

async function runSession(ctx: CliContext, image: string): Promise<void> {
  const io = ctx.io;
  const tty = io.stdin.isTTY && io.stdout.isTTY;
  const enc = new TextEncoder();
  let input!: ReadableStreamDefaultController<Uint8Array>;
  let inputOpen = true;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (input = c),
    cancel: () => void (inputOpen = false),
  });
  const send = (e: ShellClientEvent): void => {
    if (inputOpen) input.enqueue(enc.encode(JSON.stringify(e) + "\n"));
  };
  const { columns, rows } = io.size();
  const params = { image, tty, cols: columns, rows, ...(io.env["TERM"] ? { term: io.env["TERM"] } : {}) };
  // The server copies the image before answering: the busy indicator meanwhile (on a terminal only).
  const res = await ctx.busy(() => rawPost(ctx, imageShell, params, body, NDJSON_CONTENT_TYPE));
  const events = ndjson(res, strictly(ShellServerEvent))[Symbol.asyncIterator]();
  const next = async (): Promise<ShellServerEvent> => {
    const r = await events.next();
    if (r.done) throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE, { hint: "the server ended the image shell session" });
    return r.value;
  };
  try {
    const first = await next();
    if (first.t !== "ready") throw new WaltError("UNAVAILABLE", PROTOCOL_ISSUE);
    const lines = new Lines(ctx);
    await relay(ctx, tty, lines, send, next);
    await dialogue(ctx, first.defaultName, lines, send, next);
  } finally {
    if (inputOpen) input.close();
    await events.return?.(undefined);
  }
}

/** Forward input and print output until the shell exits. */
async function relay(ctx: CliContext, tty: boolean, lines: Lines, send: (e: ShellClientEvent) => void, next: () => Promise<ShellServerEvent>): Promise<void> {
  const io = ctx.io;
  let exited = false;
  let stopRaw: (() => void) | undefined;
  if (tty) stopRaw = io.stdin.raw((chunk) => send({ t: "in", d: b64(chunk) }));
  else {
    void (async () => {
      for (;;) {
        const line = await lines.read();
        if (exited) return; // the dialogue owns this line now
        if (line === undefined) return send({ t: "eof" });
        send({ t: "in", d: b64(line + "\n") });
        if (line.trim() === "exit") return;
      }
    })();
  }
  const out = new TextDecoder();
  const err = new TextDecoder();
  try {
    for (;;) {
      const e = await next();
      if (e.t === "out") io.stdout.write(out.decode(Buffer.from(e.d, "base64"), { stream: true }));
      else if (e.t === "err") io.stderr.write(err.decode(Buffer.from(e.d, "base64"), { stream: true }));
      else if (e.t === "exit") break;
    }
  } finally {
    exited = true;
    stopRaw?.();
  }
}

/** WALT's save dialogue (client/walt/client/image.py: WalTImageShell). */
async function dialogue(ctx: CliContext, defaultName: string, lines: Lines, send: (e: ShellClientEvent) => void, next: () => Promise<ShellServerEvent>): Promise<void> {
  const io = ctx.io;
  const save = async (name: string, confirmed: boolean): Promise<SaveStatus> => {
    send({ t: "save", name, confirmed });
    for (;;) {
      const e = await next();
      if (e.t !== "saved") continue;
      for (const l of e.stderr) io.stderr.write(`${l}\n`);
      for (const l of e.stdout) io.stdout.write(`${l}\n`);
      return e.status;
    }
  };
  for (;;) {
    io.stdout.write(
      "------\nYou can save changes as a new image, or overwrite this one.\n" +
        `Just press <enter> to reuse the name "${defaultName}" and overwite the image.\n` +
        "You can also press ctrl-C to abort.\n------\nNew image name: ",
    );
    let name = await lines.read();
    if (name === undefined) throw new CancelledError();
    if (name === "") {
      name = defaultName;
      io.stdout.write(`Selected: ${name}\n`);
    }
    const status = await save(name, false);
    if (status === "NAME_NOT_OK") continue;
    if (status === "NAME_NEEDS_CONFIRM") {
      if (!(await confirm(io))) continue;
      await save(name, true);
    }
    return;
  }
}

export const imageShellCommand: CommandDef = {
  name: "shell",
  ordering: 4,
  description: "modify an image through an interactive shell",
  args: [{ name: "image_name" }],
  async run(ctx, p) {
    await runSession(ctx, String(p.args["image_name"]));
  },
};

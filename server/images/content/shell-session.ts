/**
 * `walt image shell` as one duplex HTTP exchange: the client's NDJSON events (keystrokes, EOF, resize, then the
 * save dialogue's requests) come in the request body, the server's (output, exit status, save results) go out
 * in the reply. The session lives as long as the exchange: when the client goes away, the shell is killed and
 * the working copy (a full copy: any program may change files in place) is removed, unsaved.
 */
import { WaltError } from "../../../src/errors.ts";
import { ShellClientEvent, type ShellServerEvent } from "../../../src/api/image-content.ts";
import { EditSession } from "./edit-session.ts";
import type { ImageContentService } from "./service.ts";
import { SHELL_BANNER, startShell, type RunningShell } from "./shell.ts";

export const SHELL_TASK = "shell session";

export interface ShellParams {
  image: string;
  tty: boolean;
  cols: number;
  rows: number;
  term?: string | undefined;
}

const b64 = (d: Uint8Array): string => Buffer.from(d).toString("base64");

/** NDJSON lines of a byte stream, parsed and validated. */
async function* clientEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ShellClientEvent> {
  let buf = "";
  const dec = new TextDecoder();
  for await (const chunk of body) {
    buf += dec.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line === "") continue;
      const parsed = ShellClientEvent.safeParse(JSON.parse(line));
      if (!parsed.success) throw new WaltError("BAD_REQUEST", "Invalid shell session event.");
      yield parsed.data;
    }
  }
}

/** Open the session (errors before any output are thrown: the route answers them as an error envelope). */
export async function openShellSession(svc: ImageContentService, user: string, p: ShellParams, body: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const session = await EditSession.open(svc, user, p.image, SHELL_TASK);
  let shell: RunningShell;
  const enc = new TextEncoder();
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  const emit = (e: ShellServerEvent | { error: unknown }): void => {
    if (!ended) ctl.enqueue(enc.encode(JSON.stringify(e) + "\n"));
  };
  const end = (): void => {
    if (ended) return;
    ended = true;
    shell.kill();
    session.close();
    try {
      ctl.close();
    } catch {
      // The client cancelled the reply already.
    }
  };
  try {
    const copy = await session.workingCopy("copy");
    shell = startShell({
      root: copy.root,
      tty: p.tty,
      cols: p.cols,
      rows: p.rows,
      term: p.term,
      onOut: (d) => emit({ t: "out", d: b64(d) }),
      onErr: (d) => emit({ t: "err", d: b64(d) }),
    });
  } catch (err) {
    session.close();
    throw err;
  }
  const out = new ReadableStream<Uint8Array>({
    start(c) {
      ctl = c;
    },
    cancel() {
      end();
    },
  });
  emit({ t: "ready", defaultName: session.image.name });
  emit({ t: "out", d: b64(enc.encode(p.tty ? SHELL_BANNER.replaceAll("\n", "\r\n") : SHELL_BANNER)) });
  const exited = shell.done.then((code) => {
    emit({ t: "exit", code });
    return code;
  });

  const serve = async (): Promise<void> => {
    for await (const e of clientEvents(body)) {
      if (e.t === "in") shell.write(Buffer.from(e.d, "base64"));
      else if (e.t === "eof") shell.closeInput();
      else if (e.t === "resize") shell.resize(e.cols, e.rows);
      else {
        await exited;
        const r = await session.save(e.name, e.confirmed);
        emit({ t: "saved", ...r });
        if (r.status === "OK") break;
      }
    }
  };
  void serve()
    .catch((err: unknown) => {
      svc.ctx.log.warn("image shell session failed", { image: session.image.fullname, error: String(err) });
      emit({ error: err instanceof WaltError ? err.toEnvelope().error : { code: "INTERNAL", message: "Internal server error." } });
    })
    .finally(end);
  return out;
}

/** How clone / publish / update events are printed: plain lines, and a progress bar on a terminal. */
import { describe, expect, test } from "bun:test";
import type { ImageEvent } from "../../src/api/images.ts";
import { humanBytes, progressLine, renderEvents } from "../../cli/commands/image/transfer-view.ts";
import { memoryIo } from "../../cli/ui/io.ts";

async function* events(list: ImageEvent[]): AsyncGenerator<ImageEvent> {
  for (const e of list) yield await Promise.resolve(e);
}

const CLONE: ImageEvent[] = [
  { kind: "message", text: "a notice" },
  { kind: "transfer-start", label: "Downloading u/x:latest", blobs: [{ digest: "c", size: 100 }, { digest: "l", size: 3 * 1024 * 1024 }] },
  { kind: "progress", digest: "c", bytes: 100 },
  { kind: "progress", digest: "l", bytes: 1024 * 1024 },
  { kind: "warning", text: "careful" },
  { kind: "progress", digest: "l", bytes: 3 * 1024 * 1024 },
  { kind: "transfer-end", label: "Downloading u/x:latest" },
  { kind: "done", result: "x" },
];

describe("transfer view", () => {
  test("not a terminal: messages, warnings on stderr, WALT's `<label>... done.`, and the result", async () => {
    const io = memoryIo();
    expect(await renderEvents(io, events(CLONE))).toBe("x");
    expect(io.out()).toBe("a notice\nDownloading u/x:latest... done.\n");
    expect(io.err()).toBe("careful\n");
  });

  test("a terminal also gets a progress bar, redrawn in place and erased", async () => {
    const io = memoryIo({ tty: true });
    let t = 0;
    await renderEvents(io, events(CLONE), () => (t += 1000));
    const out = io.out();
    expect(out).toContain("Downloading u/x:latest [##########--------------------] 1.0 MiB/3.0 MiB, 1/2 blobs");
    expect(out).toContain("3.0 MiB/3.0 MiB, 2/2 blobs");
    expect(out.endsWith("\rDownloading u/x:latest... done.\n")).toBe(true);
    expect(out.replace(/\r[^\r\n]*\r/g, "").split("\n").filter((l) => l !== "")).toContain("a notice");
  });

  test("sizes and line width", () => {
    expect(humanBytes(512)).toBe("512 B");
    expect(humanBytes(1536)).toBe("1.5 KiB");
    expect(humanBytes(5 * 1024 ** 3)).toBe("5.0 GiB");
    const t = { label: "Pushing a/b:latest", sizes: new Map([["d", 10]]), done: new Map([["d", 5]]), total: 10 };
    expect(progressLine(t, 20)).toHaveLength(19);
  });
});

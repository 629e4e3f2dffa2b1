/**
 * WALT's FROM rewriting (walt-image-build-helper: replace_implicit_from_lines): a `FROM <image>` without a
 * `<user>/` part (not `scratch`, not an earlier stage) means the requester's image, `FROM <user>/<image>`.
 * Then every FROM image that is in our store is replaced by the OCI layout reference it was exported to, so
 * buildah reads it from there. Unlike WALT's helper, only FROM lines are touched (comments, parser directives,
 * heredocs and line continuations elsewhere are kept as they are).
 */

interface FromLine {
  /** Index of the first physical line and number of lines of this logical FROM line. */
  start: number;
  count: number;
  /** Tokens after `FROM`. */
  args: string[];
  /** Index in `args` of the image reference. */
  image: number;
}

function fromLines(lines: string[]): FromLine[] {
  const out: FromLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? "";
    if (!/^\s*from\s/i.test(first)) continue;
    let text = first;
    let count = 1;
    while (text.endsWith("\\") && i + count < lines.length) {
      text = text.slice(0, -1) + " " + (lines[i + count] ?? "");
      count++;
    }
    const args = text.trim().split(/\s+/).slice(1);
    const image = args.findIndex((a) => !a.startsWith("--"));
    if (image >= 0) out.push({ start: i, count, args, image });
    i += count - 1;
  }
  return out;
}

/** The image references of the FROM lines after WALT's `<user>/` rewriting (stage names and scratch excluded). */
export function fromImages(dockerfile: string, user: string): string[] {
  return rewrite(dockerfile, user, new Map()).images;
}

/** Rewrite FROM lines for `user`; references found in `exported` are replaced by their value. */
export function rewriteDockerfile(dockerfile: string, user: string, exported: ReadonlyMap<string, string>): string {
  return rewrite(dockerfile, user, exported).text;
}

function rewrite(dockerfile: string, user: string, exported: ReadonlyMap<string, string>): { text: string; images: string[] } {
  const lines = dockerfile.split("\n");
  const stages = new Set<string>();
  const images: string[] = [];
  const replaced = new Map<number, { count: number; text: string }>();
  for (const f of fromLines(lines)) {
    const args = [...f.args];
    const ref = args[f.image] ?? "";
    const lower = ref.toLowerCase();
    const keep = lower === "scratch" || ref.includes("/") || ref.includes("$") || stages.has(lower);
    let image = keep ? ref : `${user}/${ref}`;
    if (!stages.has(lower) && lower !== "scratch") images.push(image);
    image = exported.get(image) ?? image;
    args[f.image] = image;
    const as = args[f.image + 1];
    const stage = args[f.image + 2];
    if (as?.toLowerCase() === "as" && stage !== undefined) stages.add(stage.toLowerCase());
    replaced.set(f.start, { count: f.count, text: `FROM ${args.join(" ")}` });
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const r = replaced.get(i);
    if (r === undefined) {
      out.push(lines[i] ?? "");
      continue;
    }
    out.push(r.text);
    i += r.count - 1;
  }
  return { text: out.join("\n"), images };
}

/** The store fullname a FROM reference designates, when it has the `<user>/<name>[:tag]` form. */
export function fullnameOfRef(ref: string): string | undefined {
  const r = ref.startsWith("docker.io/") ? ref.slice("docker.io/".length) : ref;
  if (r.includes("@") || r.split("/").length !== 2) return undefined;
  const [, repoTag = ""] = r.split("/");
  return repoTag.includes(":") ? r : `${r}:latest`;
}

/**
 * `walt image cp` operands and WALT's rules for them (server transfer.py: validate_cp, _wf_analyse_file_types).
 * Pure: the file types are looked up by the caller (the client stats its own path, the server the image's).
 */
import { WaltError } from "../errors.ts";

export const CP_IMAGE_USAGE =
  "Usage:\n$ walt image cp <local_file_path> <image>:<file_path>\nor\n$ walt image cp <image>:<file_path> <local_file_path>\n\n" +
  "Regular files as well as directories are accepted.";

export const BOOTED_IMAGE_REFUSED = "Keyword 'booted-image' is only available with command 'walt node cp'.";

export type CpOperand = { kind: "local"; path: string } | { kind: "image"; image: string; path: string };

/** `f` regular file, `d` directory, `o` anything else, null when absent. */
export type PathType = "f" | "d" | "o" | null;

/** WALT splits at the last `:` (an image may be `<name>:<tag>:<path>`); trailing slashes are dropped. */
function parseOperand(operand: string): CpOperand {
  const colon = operand.lastIndexOf(":");
  if (colon === -1) return { kind: "local", path: trimSlashes(operand) };
  return { kind: "image", image: operand.slice(0, colon), path: trimSlashes(operand.slice(colon + 1)) };
}

/** `a/b/` → `a/b`; `/` stays `/` (WALT turned it into "", which then meant /root). */
function trimSlashes(p: string): string {
  const t = p.replace(/\/+$/, "");
  return t === "" && p.startsWith("/") ? "/" : t;
}

/** The two operands: exactly one local and one image operand, else WALT's usage text (USAGE error). */
export function parseCpOperands(src: string, dst: string): { src: CpOperand; dst: CpOperand; clientIndex: 0 | 1 } {
  if (src === "booted-image" || dst === "booted-image") throw new WaltError("USAGE", BOOTED_IMAGE_REFUSED);
  const s = parseOperand(src);
  const d = parseOperand(dst);
  if (s.kind === "local" && d.kind === "image") return { src: s, dst: d, clientIndex: 0 };
  if (s.kind === "image" && d.kind === "local") return { src: s, dst: d, clientIndex: 1 };
  throw new WaltError("USAGE", CP_IMAGE_USAGE);
}

/** WALT's form of a path for messages and analysis: relative paths get `./`. */
export const cpPath = (p: string): string => (p.startsWith("/") ? p : `./${p}`);

export const posixBasename = (p: string): string => {
  const t = p.length > 1 ? p.replace(/\/+$/, "") : p;
  return t.slice(t.lastIndexOf("/") + 1);
};

/** Python's os.path.dirname: everything before the last slash, trailing slashes of the head removed. */
export const posixDirname = (p: string): string => {
  const i = p.lastIndexOf("/");
  if (i === -1) return "";
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, "");
};

export interface CpTypes {
  srcPath: string;
  srcType: PathType;
  dstPath: string;
  dstType: PathType;
  /** Only needed when dstType is null. */
  dstParentType: PathType;
}

/** Where the transfer goes: the archive's single top entry is `dstName`, extracted into `dstDir`. */
export interface CpTarget {
  srcPath: string;
  dstDir: string;
  dstName: string;
}

/** WALT's analysis of the file types (messages byte for byte). `srcPath`/`dstPath` are in cpPath() form. */
export function analyseCp(t: CpTypes): CpTarget {
  let { dstType } = t;
  let dstDir: string | undefined;
  let dstName = "";
  if (dstType === null && t.dstParentType === "d") {
    // `walt image cp <path> <image>:<existing_dir>/<new_entry>`
    dstType = "d";
    dstName = posixBasename(t.dstPath);
    dstDir = posixDirname(t.dstPath);
  }
  for (const [type, path] of [
    [t.srcType, t.srcPath],
    [dstType, t.dstPath],
  ] as const) {
    if (type === null) throw new WaltError("NOT_FOUND", `No such file or directory: ${path}`);
  }
  if (dstType === "f") {
    if (t.srcType === "d") {
      throw new WaltError("BAD_REQUEST", `Invalid request. Overwriting regular file ${t.dstPath} with directory ${t.srcPath} is not allowed.`);
    }
    dstName = posixBasename(t.dstPath);
    dstDir = posixDirname(t.dstPath);
  } else if (dstDir === undefined) {
    if (posixBasename(t.srcPath) === ".") {
      // `walt image cp . <image>:<existing_dir>`: the content is merged into <existing_dir>
      dstName = posixBasename(t.dstPath);
      dstDir = posixDirname(t.dstPath);
    } else {
      dstName = posixBasename(t.srcPath);
      dstDir = t.dstPath;
    }
  }
  return { srcPath: t.srcPath, dstDir, dstName };
}

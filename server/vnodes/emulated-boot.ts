/**
 * WALT's emulated bootloader for virtual nodes (§7.3): run the image's `start.ipxe` from the node's boot tree
 * (`<nodes>/<mac>/tftp/`) with src/proto/ipxe, and answer the kernel, initrd and command line qemu boots
 * directly. `tftp://<server>/<path>` and `http://<server>/boot/<path>` URLs name the same tree, as for a real
 * node. Every file is resolved inside the tree (after symlinks) and must stay in the allowed roots.
 */
import { realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { WaltError } from "../../src/errors.ts";
import { netmaskFromPrefix } from "../../src/domain/net.ts";
import { IpxeInterpreter } from "../../src/proto/ipxe/script.ts";

export interface EmulatedBootInput {
  /** `<dataDir>/nodes`. */
  nodesDir: string;
  /** Directories files may resolve into (the nodes dir and the served roots). */
  allowedRoots: readonly string[];
  mac: string;
  ip: string;
  name: string;
  model: string;
  serverIp: string;
  prefix: number;
}

export interface EmulatedBoot {
  kernel: string;
  initrd: string | undefined;
  cmdline: string;
  /** Files read, with their sizes: the boot timeline shows them. */
  files: { path: string; bytes: number }[];
}

/** The tree-relative path a boot URL names. */
export function treePath(url: string): string {
  const m = /^(tftp|http|https):\/\/[^/]+(\/.*)?$/.exec(url);
  if (!m) return url.replace(/^\/+/, "");
  const path = (m[2] ?? "/").split("?")[0] ?? "/";
  if (m[1] === "tftp") return path.replace(/^\/+/, "");
  if (!path.startsWith("/boot/")) throw new WaltError("NOT_FOUND", `[fake-ipxe] Only /boot/ URLs of the server can be fetched, not ${url}.`);
  return path.slice("/boot/".length);
}

function resolveIn(input: EmulatedBootInput, url: string): string {
  const rel = treePath(url);
  if (rel.split("/").includes("..")) throw new WaltError("FORBIDDEN", `[fake-ipxe] Refused ${url}: '..' in the path.`);
  const base = join(input.nodesDir, input.mac, "tftp");
  let real: string;
  try {
    real = realpathSync(join(base, rel));
  } catch {
    // The usual cause: an image built for other node models (its boot/<model> folder is absent or partial).
    throw new WaltError("NOT_FOUND", `no file boot/${input.model}/${rel} in the image (the boot files of node model ${input.model}).`, {
      hint: `boot an image made for model ${input.model}: \`walt node boot ${input.name} <image>\` (\`walt image show\` lists yours).`,
    });
  }
  const roots = input.allowedRoots.map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return r;
    }
  });
  if (!roots.some((r) => real === r || real.startsWith(r + sep))) throw new WaltError("FORBIDDEN", `[fake-ipxe] Refused ${url}: it leaves the boot tree.`);
  if (!statSync(real).isFile()) throw new WaltError("NOT_FOUND", `[fake-ipxe] ${rel} is not a file.`);
  return real;
}

export async function emulatedBoot(input: EmulatedBootInput): Promise<EmulatedBoot> {
  const files: EmulatedBoot["files"] = [];
  const record = (path: string): string => {
    files.push({ path: treePath(path), bytes: statSync(resolveIn(input, path)).size });
    return resolveIn(input, path);
  };
  const vars: Record<string, string> = {
    mac: input.mac,
    ip: input.ip,
    model: input.model,
    hostname: input.name,
    name: input.name,
    server_ip: input.serverIp,
    "next-server": input.serverIp,
    manufacturer: "QEMU",
    product: "Standard PC (i440FX + PIIX, 1996)",
    vci: `walt.node.${input.model}`,
    netmask: netmaskFromPrefix(input.prefix),
    gateway: "",
  };
  const interpreter = new IpxeInterpreter({ fetchText: async (url) => Bun.file(record(url)).text() }, vars);
  const spec = await interpreter.run();
  if (spec === undefined) throw new WaltError("EXTERNAL", "[fake-ipxe] The boot script asked for a reboot.");
  const kernel = record(spec.kernel);
  const initrd = spec.initrd === undefined ? undefined : record(spec.initrd);
  return { kernel, initrd, cmdline: spec.cmdline, files };
}

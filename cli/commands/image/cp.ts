/**
 * `walt image cp <local-path> <image>:<path>` and `walt image cp <image>:<path> <local-path>` (WALT §1.5, §4.8).
 * The server validates both operands (this client stats its own), then the files travel as a tar streamed
 * in either direction (root-owned entries, like WALT's client); writing into an image saves it under the same name.
 */
import { statSync } from "node:fs";
import { CpToImageReply, TAR_CONTENT_TYPE, imageCpFromImage, imageCpToImage, validateImageCp, type FileType } from "../../../src/api/image-content.ts";
import { cpPath, parseCpOperands, posixDirname } from "../../../src/domain/image-cp.ts";
import { WaltError } from "../../../src/errors.ts";
import { extractTarTo } from "../../../src/tar/extract-to.ts";
import { tarStreamOf } from "../../../src/tar/pack-path.ts";
import type { CommandDef } from "../../framework/types.ts";
import { rawPost } from "./content-call.ts";

/** WALT's client file types: following symlinks, f / d / o, null when absent. */
function localType(path: string): FileType {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? null : st.isFile() ? "f" : st.isDirectory() ? "d" : "o";
}

const ROOT_OWNER = { uid: 0, gid: 0, uname: "root", gname: "root" };

export const imageCp: CommandDef = {
  name: "cp",
  ordering: 6,
  description: "transfer files (client machine <-> image)",
  args: [{ name: "src" }, { name: "dst" }],
  usage: "walt image cp <local-path> <image>:<path>\nwalt image cp <image>:<path> <local-path>",
  async run(ctx, p) {
    const src = String(p.args["src"]);
    const dst = String(p.args["dst"]);
    const ops = parseCpOperands(src, dst);
    const local = ops.clientIndex === 0 ? ops.src : ops.dst;
    const path = cpPath(local.path);
    const type = localType(path);
    const parentType = ops.clientIndex === 1 && type === null ? localType(posixDirname(path) || ".") : null;
    const api = await ctx.api();
    const plan = await ctx.busy(() => api.call(validateImageCp, { src, dst, localType: type, localParentType: parentType }));
    if (plan.status === "NEEDS_CONFIRM") {
      ctx.io.stderr.write(`${plan.warning ?? ""}\n`);
      await ctx.confirmOrAbort();
    }
    if (plan.direction === "to-image") {
      const body = tarStreamOf(plan.srcPath, plan.dstName, { owner: ROOT_OWNER });
      const res = await ctx.busy(() => rawPost(ctx, imageCpToImage, { image: plan.image, dstDir: plan.dstDir }, body, TAR_CONTENT_TYPE), "Transfering");
      const reply = CpToImageReply.safeParse(await res.json());
      if (!reply.success) throw new WaltError("UNAVAILABLE", "Issue occured while communicating with WalT server!");
      for (const line of reply.data.stdout) ctx.io.stdout.write(`${line}\n`);
      return;
    }
    const res = await rawPost(ctx, imageCpFromImage, { image: plan.image, srcPath: plan.srcPath, dstName: plan.dstName }, null, TAR_CONTENT_TYPE);
    if (res.body === null) throw new WaltError("UNAVAILABLE", "Issue occured while communicating with WalT server!");
    const body = res.body;
    await ctx.busy(
      () => extractTarTo(body, plan.dstDir || ".", { onSkip: (name, t) => ctx.io.stderr.write(`Skipped ${name}: cannot create a ${t} here.\n`) }),
      "Transfering",
    );
  },
};

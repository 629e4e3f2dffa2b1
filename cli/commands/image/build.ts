/**
 * `walt image build --from-url <git-repo-url> [--sub-dir <path>] <image-name>` and
 * `walt image build --from-dir <local-directory> <image-name>` (WALT §1.5, §4.7). In dir mode the directory is
 * sent as a tar (root-owned entries, archive root = the directory's content); the server's build output is
 * printed as it comes.
 */
import { statSync } from "node:fs";
import { BuildEvent, NDJSON_CONTENT_TYPE, TAR_CONTENT_TYPE, imageBuild, prepareImageBuild } from "../../../src/api/image-content.ts";
import { tarStreamOf } from "../../../src/tar/pack-path.ts";
import type { CommandDef } from "../../framework/types.ts";
import { ndjson, rawPost, strictly } from "./content-call.ts";

const SEE_HELP = "See 'walt help show image-build' for help.";

export const imageBuildCommand: CommandDef = {
  name: "build",
  ordering: 5,
  description: "build a WalT image using a Dockerfile",
  args: [{ name: "image_name" }],
  usage:
    "walt image build --from-url <git-repo-url> [--sub-dir <path>] <image-name>\n" +
    "walt image build --from-dir <local-directory> <image-name>\n" +
    "\n" +
    "See 'walt help show image-build' for more info.",
  switches: [
    { names: ["--from-url"], metavar: "GIT_URL:str", help: "Git repository URL containing a Dockerfile" },
    { names: ["--sub-dir"], metavar: "PATH:str", help: "Sub-directory of git repo to use for the build" },
    { names: ["--from-dir"], metavar: "DIRECTORY:str", help: "Local directory containing a Dockerfile" },
  ],
  async run(ctx, p) {
    const out = ctx.io.stdout;
    const name = String(p.args["image_name"]);
    const url = p.opts["from-url"] === undefined ? undefined : String(p.opts["from-url"]);
    const dir = p.opts["from-dir"] === undefined ? undefined : String(p.opts["from-dir"]);
    const subDir = p.opts["sub-dir"] === undefined ? undefined : String(p.opts["sub-dir"]);
    if (url === undefined && dir === undefined) {
      out.write("You must specify 1 of the options --from-url and --from-dir.\nSee 'walt help show image-build' for more info.\n");
      return false;
    }
    if (subDir !== undefined && url === undefined) {
      out.write("Option --sub-dir is only supported when combined with --from-url.\n");
      return false;
    }
    if (url === undefined && dir !== undefined && !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      // What WALT's client prints when tarring a missing directory fails (Python's OSError).
      out.write(`[Errno 2] No such file or directory: '${dir}'\n${SEE_HELP}\n`);
      return false;
    }
    const api = await ctx.api();
    const prepared = await api.call(prepareImageBuild, { name });
    if (prepared.overwrite) {
      ctx.io.stderr.write(`${prepared.warning ?? ""}\n`);
      await ctx.confirmOrAbort();
    }
    const res =
      url !== undefined
        ? await rawPost(ctx, imageBuild, { mode: "url", name, url, subdir: (subDir ?? "").replace(/^\/+|\/+$/g, "") }, null, NDJSON_CONTENT_TYPE)
        : await rawPost(ctx, imageBuild, { mode: "dir", name }, tarStreamOf(dir ?? ".", ".", { owner: { uid: 0, gid: 0, uname: "root", gname: "root" } }), TAR_CONTENT_TYPE);
    let ok = false;
    for await (const e of ndjson(res, strictly(BuildEvent))) {
      if (e.t === "out") out.write(`${e.line}\n`);
      else if (e.t === "err") ctx.io.stderr.write(`${e.line}\n`);
      else if (e.t === "done") ok = e.ok;
    }
    if (!ok) {
      out.write(`${SEE_HELP}\n`);
      return false;
    }
    return true;
  },
};

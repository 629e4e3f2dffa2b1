/**
 * `walt image cp` on the server: validation of the operands (WALT's rules in src/domain/image-cp.ts, the image
 * side looked up in its root filesystem), then either a tar received into a hard-link working copy and saved
 * under the same name, or a tar of an image path sent back. Both directions stream: no file is held in memory.
 */
import { lstatSync } from "node:fs";
import { WaltError, notFound } from "../../../src/errors.ts";
import type { CpPlan } from "../../../src/api/image-content.ts";
import { analyseCp, cpPath, parseCpOperands, posixDirname, type PathType } from "../../../src/domain/image-cp.ts";
import { tarStreamOf } from "../../../src/tar/pack-path.ts";
import { EditSession } from "./edit-session.ts";
import { extractUnder } from "./extract-tar.ts";
import { imagePathType, relativeToRoot, resolveInImage } from "./image-path.ts";
import type { ImageContentService } from "./service.ts";

export const CP_TASK = "file transfer";

export interface CpValidateInput {
  src: string;
  dst: string;
  localType: PathType;
  localParentType: PathType;
}

/** WALT's validate_image_cp: the plan of the transfer, or a WaltError with WALT's message. */
export async function validateCp(svc: ImageContentService, user: string, i: CpValidateInput): Promise<CpPlan> {
  const { src, dst, clientIndex } = parseCpOperands(i.src, i.dst);
  const imageOperand = clientIndex === 0 ? dst : src;
  if (imageOperand.kind !== "image") throw new WaltError("INTERNAL", "cp: no image operand");
  const image = await svc.lookup(user, imageOperand.image);
  const root = await svc.ctx.images.rootfs(image.digest);
  const srcPath = cpPath(src.path);
  const dstPath = cpPath(dst.path);
  const typeIn = (side: 0 | 1, path: string): PathType => (side === clientIndex ? i.localType : imagePathType(root, path));
  const dstType = typeIn(1, dstPath);
  const dstParentType = dstType !== null ? null : clientIndex === 1 ? i.localParentType : imagePathType(root, posixDirname(dstPath));
  const target = analyseCp({ srcPath, srcType: typeIn(0, srcPath), dstPath, dstType, dstParentType });
  const warning = clientIndex === 0 ? await svc.rebootWarning(image.fullname) : undefined;
  return {
    status: warning === undefined ? "OK" : "NEEDS_CONFIRM",
    ...(warning === undefined ? {} : { warning }),
    direction: clientIndex === 0 ? "to-image" : "from-image",
    image: image.name,
    ...target,
  };
}

/** Extract `body` into `dstDir` of a working copy of the image, then save it under the same name. */
export async function receiveIntoImage(svc: ImageContentService, user: string, imageName: string, dstDir: string, body: ReadableStream<Uint8Array>): Promise<string[]> {
  const session = await EditSession.open(svc, user, imageName, CP_TASK);
  try {
    const copy = await session.workingCopy("links");
    const dir = resolveInImage(copy.root, dstDir);
    if (dir === undefined || !lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw notFound(`No such file or directory: ${dstDir}`);
    }
    await extractUnder(copy.root, relativeToRoot(copy.root, dir), imageName, body, svc.ctx.log);
    return (await session.save(session.image.name, true)).stdout;
  } finally {
    session.close();
  }
}

/** A tar of the image's `srcPath` (symlinks resolved, like WALT's realpath) named `dstName`; busy while sent. */
export async function sendFromImage(svc: ImageContentService, user: string, imageName: string, srcPath: string, dstName: string): Promise<ReadableStream<Uint8Array>> {
  const session = await EditSession.open(svc, user, imageName, CP_TASK);
  try {
    const root = await session.rootfs();
    const host = resolveInImage(root, srcPath);
    if (host === undefined) throw notFound(`No such file or directory: ${srcPath}`);
    const inner = tarStreamOf(host, dstName).getReader();
    return new ReadableStream<Uint8Array>(
      {
        async pull(ctl) {
          try {
            const r = await inner.read();
            if (r.done) {
              session.close();
              ctl.close();
            } else ctl.enqueue(r.value);
          } catch (err) {
            session.close();
            ctl.error(err);
          }
        },
        async cancel(reason) {
          session.close();
          await inner.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  } catch (err) {
    session.close();
    throw err;
  }
}

/**
 * Image content endpoints: `walt image cp`, `walt image shell`, `walt image build`. The JSON ones go through the
 * binder; the raw ones (tar or NDJSON bodies, src/api/image-content.ts) are plain hono routes with the same
 * version and token checks, their parameters validated from the `x-walt-params` header.
 */
import type { Context, Hono } from "hono";
import { WaltError } from "../../../src/errors.ts";
import { endpointPath } from "../../../src/api/endpoint.ts";
import * as api from "../../../src/api/image-content.ts";
import type { ServerContext } from "../../context.ts";
import { buildTarget, prepareBuild, requireBuildTools, runBuild } from "../../images/content/build.ts";
import { receiveIntoImage, sendFromImage, validateCp } from "../../images/content/cp.ts";
import { ImageContentService, type ContentDeps } from "../../images/content/service.ts";
import { openShellSession } from "../../images/content/shell-session.ts";
import { UserRepo } from "../../users/tokens.ts";
import { authenticate, checkApiVersion, type Binder } from "../contract.ts";

const NDJSON = { "content-type": api.NDJSON_CONTENT_TYPE, "cache-control": "no-store" };

function paramsOf<E extends api.RawEndpoint>(e: E, c: Context): api.ParsedRawParams<E> {
  let json: unknown;
  try {
    json = JSON.parse(decodeURIComponent(c.req.header(api.PARAMS_HEADER) ?? "{}"));
  } catch {
    throw new WaltError("BAD_REQUEST", `Malformed ${api.PARAMS_HEADER} header.`);
  }
  const parsed = e.params.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new WaltError("BAD_REQUEST", `Invalid request for '${e.name}': ${i?.path.join(".") || "params"}: ${i?.message ?? "invalid"}.`);
  }
  return parsed.data as api.ParsedRawParams<E>;
}

const bodyOf = (c: Context): ReadableStream<Uint8Array> => c.req.raw.body ?? new ReadableStream({ start: (ctl) => ctl.close() });

export function imageContentRoutes(app: Hono, b: Binder, ctx: ServerContext, deps: ContentDeps = {}): ImageContentService {
  const svc = new ImageContentService(ctx, deps);
  const users = new UserRepo(ctx.db, ctx.clock);
  const raw = <E extends api.RawEndpoint>(e: E, h: (p: api.ParsedRawParams<E>, user: string, c: Context) => Promise<Response>): void => {
    app.post(endpointPath(e), async (c) => {
      checkApiVersion(c);
      const user = await authenticate(c, users);
      return h(paramsOf(e, c), user, c);
    });
  };

  b.call(api.validateImageCp, (i, c) => validateCp(svc, c.user, i));
  raw(api.imageCpToImage, async (p, user, c) => c.json({ stdout: await receiveIntoImage(svc, user, p.image, p.dstDir, bodyOf(c)) }));
  raw(api.imageCpFromImage, async (p, user) => {
    const tar = await sendFromImage(svc, user, p.image, p.srcPath, p.dstName);
    return new Response(tar, { headers: { "content-type": api.TAR_CONTENT_TYPE } });
  });

  raw(api.imageShell, async (p, user, c) => new Response(await openShellSession(svc, user, p, bodyOf(c)), { headers: NDJSON }));

  b.call(api.prepareImageBuild, (i, c) => prepareBuild(svc, c.user, i.name));
  raw(api.imageBuild, async (p, user, c) => {
    // Refusals before any output: they answer with the error envelope.
    requireBuildTools(p.mode);
    buildTarget(user, p.name);
    const enc = new TextEncoder();
    const signal = c.req.raw.signal;
    let gone = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        gone = true;
      },
      start(ctl) {
        const line = (v: unknown): void => {
          if (!gone) ctl.enqueue(enc.encode(JSON.stringify(v) + "\n"));
        };
        const send = (e: api.BuildEvent): void => line(e);
        runBuild(svc, user, p, p.mode === "dir" ? bodyOf(c) : undefined, (t, line) => send({ t, line }), signal)
          .then((ok) => send({ t: "done", ok }))
          .catch((err: unknown) => {
            ctx.log.error("image build: internal error", { error: String(err) });
            line({ error: { code: "INTERNAL", message: "Internal server error." } });
          })
          .finally(() => {
            if (!gone) ctl.close();
          });
      },
    });
    return new Response(body, { headers: NDJSON });
  });
  return svc;
}

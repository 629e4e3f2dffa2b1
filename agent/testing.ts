/**
 * Test helpers for the agent (imported by tests only): a step context over a FakeSys, and runInit with every
 * dependency faked and its console lines, sleeps and reports collected.
 */
import { BootStepsReport } from "../src/api/agent.ts";
import { manualClock } from "../src/clock.ts";
import { initialState, type BootState } from "./context.ts";
import { runInit, type InitDeps } from "./init.ts";
import type { StepContext } from "./steps/step.ts";
import type { FakeSys } from "./sys/fake.ts";

export const SERVER = "192.168.152.1";
export const MAC = "52:54:00:12:34:56";
export const PERSIST = `/var/lib/walt/nodes/${MAC}/persist`;
export const CMDLINE = `console=ttyS0,115200n8 panic=15 walt.server=${SERVER} walt.mac=${MAC} walt.root=/var/lib/walt/nodes/${MAC}/fs walt.persist=${PERSIST}`;

/** What the initramfs writes into /run/walt/boot.env (init.sh), persist mounted or not. */
export function initramfsBootEnv(persistMounted: boolean): string {
  return [
    `server='${SERVER}'`,
    "iface='eth0'",
    `mac='${MAC}'`,
    `root='/var/lib/walt/nodes/${MAC}/fs'`,
    `persist='${PERSIST}'`,
    `persist_mounted='${persistMounted ? "yes" : "no"}'`,
    "lower='/run/walt/lower'",
    "rw='/run/walt/rw'",
    "ip='192.168.152.10'",
    `serverid='${SERVER}'`,
    "",
  ].join("\n");
}

export interface FakeContext extends StepContext {
  lines: string[];
  reports: { step: string; status: string; detail: string }[];
  /** What `post` sent; `postFails` makes it throw with that message. */
  posts: { path: string; body: unknown }[];
  postFails?: string;
}

export function fakeContext(sys: FakeSys, state: Partial<BootState> = {}): FakeContext {
  const lines: string[] = [];
  const posts: FakeContext["posts"] = [];
  const reports: FakeContext["reports"] = [];
  const ctx: FakeContext = {
    sys,
    lines,
    reports,
    out: (l) => void lines.push(l),
    state: { ...initialState(), lower: "/run/walt/lower", ...state },
    env: { PATH: "/bin:/sbin" },
    report: (step, status, detail) => {
      reports.push({ step, status, detail });
      return Promise.resolve();
    },
    posts,
    post: (path, body) => {
      if (ctx.postFails !== undefined) return Promise.reject(new Error(ctx.postFails));
      posts.push({ path, body });
      return Promise.resolve();
    },
  };
  return ctx;
}

export interface InitRun {
  code: number;
  out: string[];
  err: string[];
  sleeps: number[];
  /** Bodies the server received, validated by the contract's schema. */
  posted: BootStepsReport[];
  urls: string[];
}

/** runInit with PID 1, a manual clock, no real sleep and a fetch that records and answers 200 (or fails). */
export async function runFakeInit(sys: FakeSys, opts: Partial<InitDeps> & { serverDown?: boolean } = {}): Promise<InitRun> {
  const run: InitRun = { code: -1, out: [], err: [], sleeps: [], posted: [], urls: [] };
  const { serverDown, ...deps } = opts;
  run.code = await runInit({
    sys,
    out: (l) => void run.out.push(l),
    err: (l) => void run.err.push(l),
    pid: 1,
    args: [],
    env: { PATH: "/bin:/sbin", TERM: "linux" },
    clock: manualClock(1_700_000_000_000_000),
    sleep: (ms) => {
      run.sleeps.push(ms);
      return Promise.resolve();
    },
    fetch: (url, init) => {
      run.urls.push(url);
      run.posted.push(BootStepsReport.parse(JSON.parse(String(init.body))));
      return serverDown ? Promise.reject(new Error("Unable to connect")) : Promise.resolve(new Response("{}"));
    },
    ...deps,
  });
  return run;
}

/** Every step name the server received, in order, with its status. */
export const reportedSteps = (run: InitRun): string[] =>
  [...new Map(run.posted.flatMap((p) => p.steps).map((s) => [`${s.step}:${s.time}:${s.status}`, `${s.step} ${s.status}`])).values()];

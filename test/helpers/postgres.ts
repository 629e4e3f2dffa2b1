/**
 * A private PostgreSQL cluster for tests, from Debian's package: initdb in a temp dir, started on a free
 * loopback port, stopped and removed on dispose. PostgreSQL refuses to run as root, so when the tests run
 * as root the cluster runs as the `postgres` system user (created by the Debian package).
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPostgres {
  url: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Directory of PostgreSQL server binaries, or undefined when the package is missing. */
export function findPgBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : undefined;
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}

async function run(cmd: string[], asPostgres: boolean): Promise<void> {
  const argv = asPostgres ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;
  const p = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const code = await p.exited;
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code}): ${await new Response(p.stderr).text()}`);
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL is not installed: run `apt-get install postgresql` (the README's set-up command does)");
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "walt-pg-"));
  const data = join(dir, "data");
  if (asPostgres) {
    const uid = Number((await new Response(Bun.spawn(["id", "-u", "postgres"]).stdout).text()).trim());
    const gid = Number((await new Response(Bun.spawn(["id", "-g", "postgres"]).stdout).text()).trim());
    chownSync(dir, uid, gid);
  }
  await run([join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], asPostgres);
  const port = freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await run([join(bin, "pg_ctl"), "-D", data, "-o", opts, "-w", "-t", "60", "-l", join(dir, "log"), "start"], asPostgres);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async [Symbol.asyncDispose]() {
      await run([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"], asPostgres).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Create an empty database on the cluster and return its URL (each test owns its state). */
export async function freshDatabase(adminUrl: string): Promise<string> {
  const { SQL } = await import("bun");
  const name = `walt_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new SQL(adminUrl);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.close();
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

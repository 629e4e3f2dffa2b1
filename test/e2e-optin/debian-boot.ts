/**
 * Opt-in end-to-end boot of the Debian default image (systemd), too slow for CI under TCG (minutes per boot):
 *
 *   node_modules/.bin/bun test/e2e-optin/debian-boot.ts      (or `bun run test:debian`; root, as the e2e test)
 *
 * The compiled `walt server` in a network namespace (bench/boot-env.ts: created here, deleted at the end, also on
 * failure or Ctrl-C) creates vn1 on the Debian default image plus a hook unit (debian-image.ts); once booted,
 * the node's /persist/on-boot records PID 1 and the mounts there; checked: systemd is PID 1, / is the RAM overlay,
 * /persist is the NFS mount, swap over NBD is on and the overlay's tmpfs was enlarged to 8G, the image's files
 * keep their owners, and a file written under / is gone after `walt node reboot` while /persist keeps its data.
 * Not a `*.test.ts` file: `bun test` never picks it up. Exits 1 with the failed check.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BootBench } from "../../bench/boot-env.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { buildDebianHookLayout } from "./debian-image.ts";

const BOOT_S = 900;

const ON_BOOT = `#!/bin/sh
n=$(cat /persist/boots 2>/dev/null || echo 0); n=$((n+1)); echo $n > /persist/boots
if [ -e /root-marker ]; then echo present; else echo absent; fi > /persist/root-marker-$n
echo written > /root-marker
cat /proc/1/comm > /persist/pid1-$n
awk '$2 == "/" || $2 == "/persist" { print $2, $3 }' /proc/mounts > /persist/mounts-$n
hostname > /persist/hostname-$n
awk '$1 == "/dev/nbd0" { print $1 }' /proc/swaps > /persist/swap-$n
awk '$2 == "/run/walt/rw" { print $4 }' /proc/mounts > /persist/rw-$n
stat -c %u:%g /usr/bin/mount > /persist/owner-$n
(. /run/walt/boot.env; echo "$lower_read_ahead_kb $(cat /sys/class/bdi/$lower_bdi/read_ahead_kb)") > /persist/ra-$n
sync
echo done > /persist/done-$n
`;

function check(what: string, ok: boolean, seen: string): void {
  if (!ok) throw new Error(`check failed: ${what} (seen: ${JSON.stringify(seen)})`);
  console.log(`  ok: ${what}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log("Debian default image boot (opt-in e2e): building/reusing the image, starting the server…");
  await using b = await BootBench.create(buildDebianHookLayout);
  const persist = join(b.dataDir, "nodes", "vn1", "persist");
  const read = (f: string): string => (existsSync(join(persist, f)) ? readFileSync(join(persist, f), "utf8").trim() : "");
  const booted = async (n: number): Promise<void> => {
    await b.ok("node", "wait", "vn1", "--timeout", String(BOOT_S));
    await waitFor(() => existsSync(join(persist, `done-${n}`)), `vn1's hook, boot ${n}`, 300_000, 500);
    console.log(`  vn1 booted (boot ${n}) at ${elapsed()}`);
  };
  const checkBoot = (n: number): void => {
    check(`boot ${n}: systemd is PID 1`, read(`pid1-${n}`) === "systemd", read(`pid1-${n}`));
    const mounts = read(`mounts-${n}`);
    check(`boot ${n}: / is the RAM overlay`, /^\/ overlay$/m.test(mounts), mounts);
    check(`boot ${n}: /persist is mounted over NFS`, /^\/persist nfs4$/m.test(mounts), mounts);
    check(`boot ${n}: the node's name is vn1`, read(`hostname-${n}`) === "vn1", read(`hostname-${n}`));
    check(`boot ${n}: a file written under / in an earlier boot is gone`, read(`root-marker-${n}`) === "absent", read(`root-marker-${n}`));
    check(`boot ${n}: swap over NBD is active`, read(`swap-${n}`) === "/dev/nbd0", read(`swap-${n}`));
    check(`boot ${n}: the image's files keep their owner over NFS (setuid mount owned by root)`, read(`owner-${n}`) === "0:0", read(`owner-${n}`));
    const ra = read(`ra-${n}`);
    check(`boot ${n}: the image root's read-ahead is back to the default recorded by the initramfs`, /^(\d+) \1$/.test(ra) && !ra.startsWith("32 "), ra);
    check(`boot ${n}: the RAM overlay's tmpfs was enlarged to 8G once swap was on`, read(`rw-${n}`).split(",").includes("size=8388608k"), read(`rw-${n}`));
  };

  await b.ok("node", "create", "vn1");
  writeFileSync(join(persist, "on-boot"), ON_BOOT);
  chmodSync(join(persist, "on-boot"), 0o755);
  const readAhead = async (): Promise<string> => (await b.timelines("vn1")).at(-1)?.events.find((e) => e.detail.startsWith("read-ahead: "))?.detail ?? "";
  await booted(1);
  checkBoot(1);
  const learnt = await readAhead();
  check("boot 1 (a fresh server): the agent's pages were learnt, from the merged-/usr image too", / agent pages learnt: \d+ ranges/.test(learnt), learnt);
  check("walt node reboot vn1", (await b.ok("node", "reboot", "vn1")) === "Node vn1: rebooted ok.\n", "");
  await booted(2);
  checkBoot(2);
  const ahead = await readAhead();
  check("boot 2: the initramfs read the agent ahead", / agent read ahead: \d+ ranges/.test(ahead), ahead);
  check("/persist kept the data of boot 1", read("boots") === "2" && read("done-1") === "done", read("boots"));
  console.log(`PASS: Debian default image booted twice on vn1 in ${elapsed()}`);
}

try {
  await main();
} catch (e) {
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

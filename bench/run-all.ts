/**
 * Run every benchmark in one process and print the figures (copied into the README).
 *   bun bench/run-all.ts [debian] [--no-boot]
 * `debian`: the image-store and network-boot benches also use the Debian default image (minutes under TCG);
 * `--no-boot`: skip the network-boot benches (qemu, root).
 */
import { benchNodeShow } from "./node-show.ts";
import { benchWebApi } from "./webapi.ts";
import { benchLogs } from "./logs.ts";
import { benchDhcp } from "./dhcp.ts";
import { benchTftp } from "./tftp.ts";
import { benchNbd } from "./nbd.ts";
import { benchImageStore } from "./image-store.ts";
import { benchBoot } from "./boot.ts";

const debian = process.argv.includes("debian");

console.log(`# WALT benchmarks — ${new Date().toISOString()} — ${navigator.hardwareConcurrency} cores`);
await benchNodeShow();
await benchWebApi();
await benchLogs();
await benchDhcp();
await benchTftp();
await benchNbd();
await benchImageStore(debian ? "debian" : "busybox");
if (!process.argv.includes("--no-boot")) await benchBoot(debian ? "debian" : "busybox");

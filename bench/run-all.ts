/** Run every benchmark in one process and print the figures (copied into the README). */
import { benchNodeShow } from "./node-show.ts";
import { benchWebApi } from "./webapi.ts";
import { benchLogs } from "./logs.ts";
import { benchDhcp } from "./dhcp.ts";
import { benchTftp } from "./tftp.ts";
import { benchNbd } from "./nbd.ts";
import { benchImageStore } from "./image-store.ts";

console.log(`# WALT benchmarks — ${new Date().toISOString()} — ${navigator.hardwareConcurrency} cores`);
await benchNodeShow();
await benchWebApi();
await benchLogs();
await benchDhcp();
await benchTftp();
await benchNbd();
await benchImageStore(process.argv[2] === "debian" ? "debian" : "busybox");

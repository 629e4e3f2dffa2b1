/** Run every benchmark in one process and print the figures (copied into the README). */
import { benchNodeShow } from "./node-show.ts";
import { benchWebApi } from "./webapi.ts";
import { benchLogs } from "./logs.ts";

console.log(`# WALT benchmarks — ${new Date().toISOString()} — ${navigator.hardwareConcurrency} cores`);
await benchNodeShow();
await benchWebApi();
await benchLogs();

/**
 * Compile the one `walt` binary (model-codebases §4.15): migrations and help topics are embedded by their
 * text imports; the binary ignores any bunfig.toml or .env found where it runs.
 *
 *   bun build.ts                    → dist/walt (this machine's architecture, x86_64 here)
 *   bun build.ts --target arm64     → dist/walt-arm64 (Raspberry Pi 3/4/5 with 64-bit images)
 */
import pkg from "./package.json" with { type: "json" };
import { API_VERSION } from "./src/version.ts";

const arg = process.argv.indexOf("--target");
const target = arg > 0 ? process.argv[arg + 1] : undefined;
const targets: Record<string, { bun: Bun.Build.CompileTarget; out: string }> = {
  x64: { bun: "bun-linux-x64-baseline", out: "dist/walt" },
  arm64: { bun: "bun-linux-arm64", out: "dist/walt-arm64" },
};
const chosen = targets[target ?? "x64"];
if (!chosen) {
  console.error(`unknown target '${target}'; use one of: ${Object.keys(targets).join(", ")}`);
  process.exit(2);
}

const result = await Bun.build({
  entrypoints: ["./src/main.ts"],
  compile: { target: chosen.bun, outfile: chosen.out, autoloadBunfig: false, autoloadDotenv: false },
  minify: true,
  // Bytecode skips parsing at start (CLI start-up ~30 ms → ~10 ms); it needs a CommonJS-shaped bundle.
  bytecode: true,
  format: "cjs",
  sourcemap: "none",
  define: {
    WALT_BUILD_VERSION: JSON.stringify(pkg.version),
    WALT_BUILD_API_VERSION: JSON.stringify(API_VERSION),
  },
});
if (!result.success) {
  for (const m of result.logs) console.error(m);
  process.exit(1);
}
console.log(`built ${chosen.out} (${chosen.bun})`);

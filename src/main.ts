/**
 * The entry point of the one `walt` binary: `walt server …` runs the server, `walt agent …` the node
 * agent, anything else is the CLI. Each role is loaded with a dynamic import, so the CLI does not pay
 * for the server's modules at start. (The only file of src/ that reaches into the role folders.)
 */
const [role, ...rest] = process.argv.slice(2);

async function run(): Promise<number> {
  if (role === "server") return (await import("../server/main.ts")).main(rest);
  if (role === "agent") return (await import("../agent/main.ts")).main(rest);
  return (await import("../cli/process.ts")).main(process.argv.slice(2));
}

// No top-level await: the binary is compiled to bytecode, which needs a CommonJS-shaped entry.
run().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`walt: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

export {};

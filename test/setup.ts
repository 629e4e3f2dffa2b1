// Preloaded by bun test (bunfig.toml): an unhandled rejection anywhere fails the run instead of passing silently.
process.on("unhandledRejection", (reason) => {
  console.error("unhandled rejection in test run:", reason);
  process.exitCode = 1;
  throw reason;
});

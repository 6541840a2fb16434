#!/usr/bin/env node
// The socklab command: loads the TypeScript CLI through tsx (Node 20 cannot strip types itself).
// While no command handles SIGINT and SIGTERM itself (loading, or a command with nothing to stop), they end
// socklab at once with 130 and 143; a grading installs its own handling, which stops its runs in order.
const early = { SIGINT: 130, SIGTERM: 143 };
for (const signal of Object.keys(early)) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.stderr.write(`socklab: ${signal} before anything ran; nothing was graded\n`);
    process.exit(early[signal]);
  });
}

const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../harness/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

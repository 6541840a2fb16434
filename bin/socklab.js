#!/usr/bin/env node
// The socklab command. An installed socklab (no TypeScript sources beside it) runs the prebuilt
// dist/socklab.mjs; a checkout loads the TypeScript CLI through tsx (Node 20 cannot strip types itself), unless
// SOCKLAB_PREBUILT=1 asks for the build.
// While no command handles SIGINT and SIGTERM itself (loading, or a command with nothing to stop), they end
// socklab at once with 130 and 143; a grading installs its own handling, which stops its runs in order.
import { existsSync } from "node:fs";

const early = { SIGINT: 130, SIGTERM: 143 };
for (const signal of Object.keys(early)) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    process.stderr.write(`socklab: ${signal} before anything ran; nothing was graded\n`);
    process.exit(early[signal]);
  });
}

const sources = new URL("../harness/cli/main.ts", import.meta.url);
const prebuilt = new URL("../dist/socklab.mjs", import.meta.url);
let main;
if ((!existsSync(sources) || process.env.SOCKLAB_PREBUILT === "1") && existsSync(prebuilt)) {
  ({ main } = await import(prebuilt.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(sources.href));
}
process.exitCode = await main(process.argv.slice(2));

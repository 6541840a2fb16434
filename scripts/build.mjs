#!/usr/bin/env node
// `npm run build` (and `npm pack`): socklab as prebuilt JavaScript, so that an installed socklab starts without
// compiling TypeScript and needs no node_modules: dist/socklab.mjs (the CLI and every library it uses, in one
// file) and dist/impair_proxy.mjs (the lossy link program that runs inside the sandbox).
import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  legalComments: "none",
};
await build({
  ...common,
  entryPoints: [join(root, "harness", "cli", "main.ts")],
  outfile: join(dist, "socklab.mjs"),
  // Bundled CommonJS packages (pcap-parser, yaml…) call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __socklabRequire } from "node:module"; const require = __socklabRequire(import.meta.url);',
  },
  // Only a checkout builds the link program itself; an installed socklab reads dist/impair_proxy.mjs.
  external: ["esbuild"],
});
await build({
  ...common,
  entryPoints: [join(root, "harness", "impair", "proxy-main.ts")],
  outfile: join(dist, "impair_proxy.mjs"),
});
process.stderr.write("socklab build: dist/socklab.mjs, dist/impair_proxy.mjs\n");

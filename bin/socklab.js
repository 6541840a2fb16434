#!/usr/bin/env node
// The socklab command: loads the TypeScript CLI through tsx (Node 20 cannot strip types itself).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../harness/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

// The link program as one self-contained ESM file, for runs that see no node_modules (only the staged probes
// folder and /usr): built here from the sources when they are there (a checkout), else the one `npm run build`
// made (dist/impair_proxy.mjs, in an installed socklab, which ships no sources). The only file that imports esbuild; the text is made once per process and reused.

import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { packageFile } from "../install/index.ts";

const ENTRY = packageFile("harness", "impair", "proxy-main.ts");
/** The link program built ahead of time by `npm run build`. */
export const PREBUILT_PROXY = packageFile("dist", "impair_proxy.mjs");
let cached: Promise<string> | undefined;

/** The bundled text of proxy-main.ts (ESM, node 20), built on the first call. */
export function proxyBundleText(): Promise<string> {
  cached ??= buildText().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Writes the bundled link program to `outFile`. */
export async function bundleProxy(outFile: string): Promise<void> {
  await writeFile(outFile, await proxyBundleText());
}

async function buildText(): Promise<string> {
  if (!existsSync(ENTRY)) return readFile(PREBUILT_PROXY, "utf8");
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no output for the link program");
  return file.text;
}

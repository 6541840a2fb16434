// The link program as one self-contained ESM file, for runs that see no node_modules (only the staged probes
// folder and /usr). The only file that imports esbuild; the text is built once per process and reused.

import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("./proxy-main.ts", import.meta.url));
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

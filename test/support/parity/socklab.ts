// socklab's side of the parity comparison: the analysis document exactly as the CLI writes it.
import type { CaptureAnalysis } from "../../../harness/analyse/types.ts";
import { main } from "../../../harness/cli/main.ts";

/** socklab analyse --json --packets all --stream-bytes 0, run through the CLI's entry point in this process. */
export async function socklabDocument(file: string): Promise<CaptureAnalysis> {
  const chunks: string[] = [];
  const errors: string[] = [];
  const decoder = new TextDecoder();
  const code = await main(["analyse", file, "--json", "--packets", "all", "--stream-bytes", "0"], {
    out: (text) => chunks.push(`${text}\n`),
    write: (text) => chunks.push(typeof text === "string" ? text : decoder.decode(text, { stream: true })),
    err: (text) => errors.push(text),
    colour: false,
  });
  if (code !== 0) throw new Error(`socklab analyse ${file} exited with ${code}: ${errors.join("\n")}`);
  return JSON.parse(chunks.join("")) as CaptureAnalysis;
}

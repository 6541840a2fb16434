// socklab's version: the one in package.json, shown by --version and written into every result.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "../schema/index.ts";

const packageJson = z.object({ version: z.string() });

export const VERSION = packageJson.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")),
).version;

// The folder a command is given: there, and a folder — else one line saying which, before anything runs.
import { stat } from "node:fs/promises";
import { HarnessError } from "./harness-error.ts";

/** Throws a one-line error when `path` is missing or not a folder. */
export async function requireFolder(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new HarnessError("no-folder", `${path}: no such folder (the ${what})`, { owner: "user" });
  }
  if (!info.isDirectory()) {
    throw new HarnessError("not-a-folder", `${path} is a file, not a folder (the ${what})`, {
      owner: "user",
    });
  }
}

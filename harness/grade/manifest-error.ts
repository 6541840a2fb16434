// A submission manifest that cannot be used: names the file, the key and what was expected.

import { SocklabError } from "../fault/index.ts";

/** A harness error (exit 2): the manifest is missing, not YAML, or does not fit the schema. */
export class ManifestError extends SocklabError<`manifest-${"missing" | "syntax" | "invalid"}`> {
  readonly file: string;

  constructor(code: "missing" | "syntax" | "invalid", file: string, message: string) {
    super("grade", "submission", `manifest-${code}`, `${file}: ${message}`);
    this.name = "ManifestError";
    this.file = file;
  }
}

// A submission manifest that cannot be used: names the file, the key and what was expected.

/** A harness error (exit 2): the manifest is missing, not YAML, or does not fit the schema. */
export class ManifestError extends Error {
  readonly code: string;
  readonly file: string;

  constructor(code: "missing" | "syntax" | "invalid", file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "ManifestError";
    this.code = `manifest-${code}`;
    this.file = file;
  }
}

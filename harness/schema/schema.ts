// The adapter for zod (the only file that imports it): every input socklab reads is a zod schema, and its
// issues become one clear line naming the file and the key.
import { z } from "zod";

export { z };

/** A validation problem: the file, the dotted key path, what was expected. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates `value` against `schema`: the parsed value, or the issues with their key paths. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  basePath: readonly (string | number)[] = [],
): { ok: true; value: T } | { ok: false; issues: SchemaIssue[] } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
      // one unknown key: its own path, so that its line can be named
      if (issue.code === "unrecognized_keys" && issue.keys.length === 1) path.push(issue.keys[0]!);
      return { path: keyPath([...basePath, ...path]), message: issue.message };
    }),
  };
}

/** `tasks.tcp-echo.port`, `tasks.udp-echo.values[2]`. */
export function keyPath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>(
    (path, part) => (typeof part === "number" ? `${path}[${part}]` : path ? `${path}.${part}` : part),
    "",
  );
}

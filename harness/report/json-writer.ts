// JSON written piece by piece, so a document of any size can be produced: the text is exactly what
// `JSON.stringify(value, null, 2)` (or, compact, `JSON.stringify(value)`) gives, but no string ever holds
// more than one small part of it. Small parts (below a size budget) are still stringified natively, which
// is where the speed is.

/** Where written text goes, in order. */
export interface TextSink {
  write(text: string): void;
  /**
   * Text already encoded as UTF-8, in order with `write`: read during the call only (the caller reuses the
   * buffer). A sink without it gets the text decoded.
   */
  writeBytes?(bytes: Uint8Array): void;
}

/** Units (values, plus one per 64 characters of string) a part may hold to be stringified in one go. */
const NATIVE_BUDGET = 4096;
const INDENT = "  ";

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, as if it sat `depth` levels deep in a larger
 * document (its inner lines indented accordingly; the first line is not). `undefined` at the top writes
 * nothing, like JSON.stringify returning undefined.
 */
export function writeJson(sink: TextSink, value: unknown, depth = 0): void {
  write(sink, value, depth, true);
}

/** Writes `value` as `JSON.stringify(value)` would: on one line, without spaces. */
export function writeCompactJson(sink: TextSink, value: unknown): void {
  write(sink, value, 0, false);
}

function write(sink: TextSink, value: unknown, depth: number, pretty: boolean): void {
  const json = toJsonValue(value);
  if (json === undefined) return;
  if (typeof json !== "object" || json === null) {
    sink.write(JSON.stringify(json));
    return;
  }
  if (fitsBudget(json)) {
    sink.write(pretty ? stringifyAt(json, depth) : JSON.stringify(json));
    return;
  }
  const inner = pretty ? `\n${INDENT.repeat(depth + 1)}` : "";
  const close = pretty ? `\n${INDENT.repeat(depth)}` : "";
  const colon = pretty ? ": " : ":";
  if (Array.isArray(json)) {
    if (json.length === 0) {
      sink.write("[]");
      return;
    }
    sink.write("[");
    for (let i = 0; i < json.length; i++) {
      sink.write(i === 0 ? inner : `,${inner}`);
      const item = toJsonValue(json[i]);
      if (item === undefined) sink.write("null");
      else write(sink, item, depth + 1, pretty);
    }
    sink.write(`${close}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(json)) {
    const item = toJsonValue((json as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    sink.write(first ? `{${inner}` : `,${inner}`);
    first = false;
    sink.write(`${JSON.stringify(key)}${colon}`);
    write(sink, item, depth + 1, pretty);
  }
  sink.write(first ? "{}" : `${close}}`);
}

/**
 * Writes the members of an object one by one: `members` gives each key with a writer for its value (called
 * with the depth to write at), so a member can be streamed from anywhere (a spool file, a generator).
 */
export function writeJsonObject(
  sink: TextSink,
  members: ReadonlyArray<readonly [string, (depth: number) => void]>,
  depth = 0,
): void {
  if (members.length === 0) {
    sink.write("{}");
    return;
  }
  const inner = INDENT.repeat(depth + 1);
  members.forEach(([key, writeValue], index) => {
    sink.write(`${index === 0 ? "{\n" : ",\n"}${inner}${JSON.stringify(key)}: `);
    writeValue(depth + 1);
  });
  sink.write(`\n${INDENT.repeat(depth)}}`);
}

/**
 * A sink that gathers small writes into chunks of about `chunkSize` characters before passing them on;
 * bytes go straight through, after the text before them.
 */
export function bufferedSink(
  write: (chunk: string | Uint8Array) => void,
  chunkSize = 1 << 16,
): Required<TextSink> & { flush(): void } {
  let parts: string[] = [];
  let size = 0;
  function flush(): void {
    if (size === 0) return;
    write(parts.length === 1 ? parts[0]! : parts.join(""));
    parts = [];
    size = 0;
  }
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size >= chunkSize) flush();
    },
    writeBytes(bytes) {
      flush();
      write(bytes);
    },
    flush,
  };
}

// What JSON.stringify makes of a value before writing it: toJSON applied; functions, symbols and undefined
// are undefined (left out of objects, null in arrays).
function toJsonValue(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  )
    return (value as { toJSON(): unknown }).toJSON();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
  return value;
}

// JSON.stringify(value, null, 2) with its inner lines indented `depth` levels more: the value is wrapped in
// `depth` one-element arrays, which indent it just so, and the wrapping is cut off again (a slice, not a copy).
function stringifyAt(value: object, depth: number): string {
  if (depth === 0) return JSON.stringify(value, null, 2);
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let head = 0;
  for (let i = 1; i <= depth; i++) head += 2 + 2 * i; // "[\n" and the next level's indent
  let tail = 0;
  for (let i = 0; i < depth; i++) tail += 2 + 2 * i; // "\n", the indent and "]"
  return text.slice(head, text.length - tail);
}

// Whether a value is small enough to stringify natively: counts its units up to the budget.
function fitsBudget(value: object): boolean {
  let units = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    units++;
    if (typeof item === "string") units += item.length >>> 6;
    else if (item !== null && typeof item === "object") {
      if (Array.isArray(item)) {
        if (units + stack.length + item.length > NATIVE_BUDGET) return false;
        for (const element of item) stack.push(element);
      } else {
        for (const key in item) stack.push((item as Record<string, unknown>)[key]);
      }
    }
    if (units + stack.length > NATIVE_BUDGET) return false;
  }
  return true;
}

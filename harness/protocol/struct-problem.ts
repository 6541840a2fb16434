// What Python's struct module would raise, as data: the exception class and CPython's own message (the
// wording of the interpreter the grader runs, CPython 3.11), so a grader can quote it to a student.

/** Why a format, a value or a buffer was refused. */
export type StructProblemCode =
  | "not-ascii" // UnicodeEncodeError: CPython encodes a str format as ASCII first
  | "embedded-null"
  | "bad-char"
  | "repeat-without-char"
  | "size-too-long" // a count or the total size beyond 2^63 − 1
  | "wrong-value-count"
  | "not-an-integer"
  | "not-a-float"
  | "not-bytes" // s and p
  | "not-a-char" // c
  | "out-of-range" // an integer outside what the format character holds
  | "float-overflow" // OverflowError from e and f
  | "buffer-size" // unpack's buffer is not calcsize bytes long
  | "negative-size" // SystemError: CPython cannot unpack `0p`
  | "too-large"; // MemoryError, or OverflowError within 33 bytes of 2^63: no buffer this size

/** The Python exception CPython raises for a problem. */
export type PythonException =
  | "struct.error"
  | "OverflowError"
  | "UnicodeEncodeError"
  | "SystemError"
  | "MemoryError";

/** A problem with a struct format, a value to pack or a buffer to unpack. */
export interface StructProblem {
  readonly code: StructProblemCode;
  readonly exception: PythonException;
  /** CPython's message, word for word. */
  readonly message: string;
  /**
   * Format problems: index (UTF-16) into the format string. Value problems: byte offset of the value in
   * the packed buffer. Buffer problems: 0.
   */
  readonly offset: number;
  /** Value problems: index of the refused value among the values. */
  readonly index?: number;
}

/** Either what was asked for, or the problem CPython would raise instead. */
export type StructResult<T> = { ok: true; value: T } | { ok: false; problem: StructProblem };

/** Makes a failed result. */
export function structProblem(
  code: StructProblemCode,
  message: string,
  offset: number,
  exception: PythonException = "struct.error",
  index?: number,
): { ok: false; problem: StructProblem } {
  const problem: StructProblem =
    index === undefined ? { code, exception, message, offset } : { code, exception, message, offset, index };
  return { ok: false, problem };
}

/** The last line of the traceback Python would print, e.g. `struct.error: bad char in struct format`. */
export function pythonErrorLine(problem: StructProblem): string {
  return problem.message === "" ? problem.exception : `${problem.exception}: ${problem.message}`;
}

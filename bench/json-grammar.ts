// A streaming check of the JSON grammar (RFC 8259): bytes go in chunk by chunk and are forgotten; only the
// nesting (one byte per open array or object) and a small state are kept, so a 10 GB document is checked in
// constant memory. It builds no values; it does not check that strings are valid UTF-8 (Node writes valid
// UTF-8) nor that object keys are unique (JSON allows repeats).

const VALUE = 0; // a value must come next
const VALUE_OR_CLOSE = 1; // just after '['
const KEY_OR_CLOSE = 2; // just after '{'
const KEY = 3; // after ',' inside an object
const COLON = 4;
const AFTER_VALUE = 5; // ',' or the closing bracket, or the end of the document
const STRING = 6;
const ESCAPE = 7;
const UNICODE = 8;
const MINUS = 9;
const ZERO = 10;
const INTEGER = 11;
const DOT = 12;
const FRACTION = 13;
const EXPONENT_MARK = 14;
const EXPONENT_SIGN = 15;
const EXPONENT = 16;
const LITERAL = 17;
const DONE = 18;
const FAILED = 19;

const ARRAY = 1;
const OBJECT = 2;

const encoder = new TextEncoder();
const LITERALS: Record<number, Uint8Array> = {
  116: encoder.encode("true"),
  102: encoder.encode("false"),
  110: encoder.encode("null"),
};

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The verdict on a whole document. */
export interface JsonVerdict {
  readonly valid: boolean;
  readonly bytes: number;
  /** Deepest nesting seen. */
  readonly maxDepth: number;
  /** Why it is not JSON, and at which byte. */
  readonly error?: string;
  readonly offset?: number;
}

/** Checks a JSON text fed in chunks: `push` each chunk, then `end`. */
export class JsonGrammar {
  #state = VALUE;
  #stack = new Uint8Array(1024);
  #depth = 0;
  #maxDepth = 0;
  #stringIsKey = false;
  #left = 0; // hex digits of \uXXXX, or bytes of a literal, still to come
  #literal: Uint8Array = new Uint8Array(0);
  #bytes = 0;
  #error: string | undefined;
  #errorOffset = 0;

  /** Feeds the next bytes of the document. */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n && this.#state !== FAILED) {
      const c = chunk[i]!;
      switch (this.#state) {
        case STRING: {
          // The common case: run through plain characters without leaving the loop.
          while (i < n) {
            const d = chunk[i]!;
            if (d === 0x22) {
              this.#state = this.#stringIsKey ? COLON : AFTER_VALUE;
              break;
            }
            if (d === 0x5c) {
              this.#state = ESCAPE;
              break;
            }
            if (d < 0x20) {
              this.#fail("a control character inside a string", i);
              break;
            }
            i++;
          }
          i++;
          continue;
        }
        case ESCAPE:
          if (c === 0x75) {
            this.#state = UNICODE;
            this.#left = 4;
          } else if (
            c === 0x22 ||
            c === 0x5c ||
            c === 0x2f ||
            c === 0x62 ||
            c === 0x66 ||
            c === 0x6e ||
            c === 0x72 ||
            c === 0x74
          ) {
            this.#state = STRING;
          } else {
            this.#fail("an unknown escape", i);
          }
          break;
        case UNICODE:
          if (!isHex(c)) this.#fail("a \\u escape without four hex digits", i);
          else if (--this.#left === 0) this.#state = STRING;
          break;
        case VALUE:
        case VALUE_OR_CLOSE:
          if (isSpace(c)) break;
          if (c === 0x5d && this.#state === VALUE_OR_CLOSE) this.#close(ARRAY, i);
          else this.#value(c, i);
          break;
        case KEY_OR_CLOSE:
        case KEY:
          if (isSpace(c)) break;
          if (c === 0x22) {
            this.#state = STRING;
            this.#stringIsKey = true;
          } else if (c === 0x7d && this.#state === KEY_OR_CLOSE) {
            this.#close(OBJECT, i);
          } else {
            this.#fail("expected a string key", i);
          }
          break;
        case COLON:
          if (isSpace(c)) break;
          if (c === 0x3a) this.#state = VALUE;
          else this.#fail("expected ':'", i);
          break;
        case AFTER_VALUE:
          if (isSpace(c)) break;
          this.#afterValue(c, i);
          break;
        case MINUS:
          if (c === 0x30) this.#state = ZERO;
          else if (isDigit(c)) this.#state = INTEGER;
          else this.#fail("expected a digit after '-'", i);
          break;
        case ZERO:
        case INTEGER:
        case FRACTION:
        case EXPONENT:
          if (isDigit(c) && this.#state !== ZERO) break;
          if (c === 0x2e && this.#state <= INTEGER) this.#state = DOT;
          else if ((c === 0x65 || c === 0x45) && this.#state <= FRACTION) this.#state = EXPONENT_MARK;
          else {
            // The number ended at the previous byte: read this one again after the value.
            this.#state = AFTER_VALUE;
            continue;
          }
          break;
        case DOT:
          if (isDigit(c)) this.#state = FRACTION;
          else this.#fail("expected a digit after '.'", i);
          break;
        case EXPONENT_MARK:
          if (c === 0x2b || c === 0x2d) this.#state = EXPONENT_SIGN;
          else if (isDigit(c)) this.#state = EXPONENT;
          else this.#fail("expected an exponent", i);
          break;
        case EXPONENT_SIGN:
          if (isDigit(c)) this.#state = EXPONENT;
          else this.#fail("expected an exponent's digits", i);
          break;
        case LITERAL:
          if (c !== this.#literal[this.#literal.length - this.#left]) this.#fail("a misspelt literal", i);
          else if (--this.#left === 0) this.#state = AFTER_VALUE;
          break;
        case DONE:
          if (!isSpace(c)) this.#fail("more after the end of the document", i);
          break;
      }
      i++;
    }
    this.#bytes += n;
  }

  /** The verdict once every byte has been pushed. */
  end(): JsonVerdict {
    if (
      this.#state === ZERO ||
      this.#state === INTEGER ||
      this.#state === FRACTION ||
      this.#state === EXPONENT
    ) {
      if (this.#depth === 0) this.#state = DONE;
    }
    if (this.#state === AFTER_VALUE && this.#depth === 0) this.#state = DONE;
    if (this.#state !== DONE && this.#state !== FAILED) {
      this.#error = this.#bytes === 0 ? "empty document" : "the document ends inside a value";
      this.#errorOffset = this.#bytes;
    }
    const verdict = { valid: this.#error === undefined, bytes: this.#bytes, maxDepth: this.#maxDepth };
    return this.#error === undefined
      ? verdict
      : { ...verdict, error: this.#error, offset: this.#errorOffset };
  }

  #value(c: number, i: number): void {
    if (c === 0x7b || c === 0x5b) {
      if (this.#depth === this.#stack.length) {
        const grown = new Uint8Array(this.#stack.length * 2);
        grown.set(this.#stack);
        this.#stack = grown;
      }
      this.#stack[this.#depth++] = c === 0x7b ? OBJECT : ARRAY;
      this.#maxDepth = Math.max(this.#maxDepth, this.#depth);
      this.#state = c === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
    } else if (c === 0x22) {
      this.#state = STRING;
      this.#stringIsKey = false;
    } else if (c === 0x2d) {
      this.#state = MINUS;
    } else if (c === 0x30) {
      this.#state = ZERO;
    } else if (isDigit(c)) {
      this.#state = INTEGER;
    } else if (LITERALS[c]) {
      this.#literal = LITERALS[c]!;
      this.#left = this.#literal.length - 1;
      this.#state = LITERAL;
    } else {
      this.#fail("expected a value", i);
    }
  }

  #afterValue(c: number, i: number): void {
    if (this.#depth === 0) {
      this.#state = DONE;
      this.#fail("more after the end of the document", i);
      return;
    }
    const inside = this.#stack[this.#depth - 1];
    if (c === 0x2c) this.#state = inside === OBJECT ? KEY : VALUE;
    else if (c === 0x5d) this.#close(ARRAY, i);
    else if (c === 0x7d) this.#close(OBJECT, i);
    else this.#fail(`expected ',' or '${inside === OBJECT ? "}" : "]"}'`, i);
  }

  #close(kind: number, i: number): void {
    if (this.#depth === 0 || this.#stack[this.#depth - 1] !== kind) {
      this.#fail("a bracket that closes nothing open", i);
      return;
    }
    this.#depth--;
    this.#state = this.#depth === 0 ? DONE : AFTER_VALUE;
  }

  #fail(reason: string, i: number): void {
    this.#state = FAILED;
    this.#error ??= reason;
    this.#errorOffset = this.#bytes + i;
  }
}

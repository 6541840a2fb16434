import { describe, expect, it } from "vitest";
import { coveredInOrder, findPrintedBytes } from "./printed-bytes.ts";
import type { PrintedLine } from "./printed-values.ts";

const out = (text: string): PrintedLine[] =>
  text.split("\n").map((t, i) => ({ stream: "stdout" as const, number: i + 1, text: t }));
const bytes = (s: string) => new TextEncoder().encode(s);

describe("finding printed bytes", () => {
  it.each([
    ["plain text", "Received Hello, world", "Hello, world"],
    ["Python bytes", "Received  b'Hello, world'", "Hello, world"],
    ["UTF-8 text", "Recibido: ¡Hola, qué tal!", "¡Hola, qué tal!"],
    ["UTF-8 as Python bytes", "b'\\xc2\\xa1Hola, qu\\xc3\\xa9 tal!'", "¡Hola, qué tal!"],
    ["a trailing newline", "got: hola", "hola\n"],
    [
      "pieces, one line each",
      "'Hello, world' -> 'Hello, world'\n'Raj here' -> 'Raj here'",
      "Hello, worldRaj here",
    ],
    ["pieces as bytes", "Received: b'Hello, world'\nReceived: b\"Tom's client\"", "Hello, worldTom's client"],
    ["a logging prefix", "2026-12-06 10:00:00 INFO echo: Hello", "Hello"],
  ])("finds %s", (_, text, payload) => {
    expect(findPrintedBytes(out(text), bytes(payload))).not.toBeNull();
  });

  it.each([
    ["other text", "Received HELLO, WORLD", "Hello, world"],
    ["part of it", "Received Hello", "Hello, world"],
    ["pieces out of order", "Raj here\nHello, world", "Hello, worldRaj here"],
    ["nothing", "", "Hello"],
  ])("refuses %s", (_, text, payload) => {
    expect(findPrintedBytes(out(text), bytes(payload))).toBeNull();
  });

  it("names the line that shows the payload", () => {
    expect(findPrintedBytes(out("connected\nReceived Hello"), bytes("Hello"))?.number).toBe(2);
  });

  it("covers a needle in order with pieces of four characters or more", () => {
    expect(coveredInOrder("abcd--efgh", "abcdefgh")).toBe(true);
    expect(coveredInOrder("efgh--abcd", "abcdefgh")).toBe(false);
    expect(coveredInOrder("ab-cd", "abcd")).toBe(false);
  });
});

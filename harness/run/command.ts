// Splitting a manifest's command line into words, like a POSIX shell would, but without running a shell.
import { RunError } from "./errors.ts";

/** Characters that would mean something to a shell; unquoted, they are refused rather than passed on. */
const SHELL_OPERATORS = new Set(["|", "&", ";", "<", ">", "(", ")", "$", "`"]);

/**
 * Splits `command` into words: blanks separate words, '…' is literal, "…" allows \" \\ \$ \`, and a backslash
 * outside quotes takes the next character literally. Throws a RunError on unbalanced quotes or an unquoted
 * shell operator (commands run without a shell, so `>` or `|` would not do what the author meant).
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  const fail = (why: string): never => {
    throw new RunError("BAD_COMMAND", `cannot split the command ${JSON.stringify(command)}: ${why}`);
  };
  while (i < command.length) {
    const c = command[i]!;
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) fail("a single quote is not closed");
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= command.length) fail("a double quote is not closed");
        const d = command[i]!;
        if (d === '"') break;
        if (d === "\\" && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!)) {
          word += command[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === "\\") {
      if (i + 1 >= command.length) fail("it ends with a backslash");
      word += command[i + 1];
      inWord = true;
      i += 2;
    } else if (SHELL_OPERATORS.has(c)) {
      fail(`'${c}' needs a shell, and commands run without one (quote it to pass it literally)`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) fail("it is empty");
  return words;
}

/** The command as one line for people (words with blanks or quotes are single-quoted). */
export function formatCommand(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(" ");
}

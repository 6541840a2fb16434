// packetDiagram and fieldTable against golden strings.

import { describe, expect, test } from "vitest";
import { fieldTable, packetDiagram } from "./packet-diagram.ts";
import { parseStructFormat, type StructLayout } from "./struct-format.ts";

const layoutOf = (format: string): StructLayout => {
  const parsed = parseStructFormat(format);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.value;
};
const reading = ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"];
const RULER = [
  " 0                   1                   2                   3",
  " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1",
];
const FULL = "+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+";

describe("packetDiagram", () => {
  test.each<[string, string, string[], string[]]>([
    [
      "the sensor reading, fields running across rows",
      "!BHIfff?",
      reading,
      [
        ...RULER,
        FULL,
        "|     type      |            sensor             |      seq      |",
        FULL,
        "|                  seq (cont.)                  |  temperature  |",
        FULL,
        "|              temperature (cont.)              |   humidity    |",
        FULL,
        "|               humidity (cont.)                |   pressure    |",
        FULL,
        "|               pressure (cont.)                |     alarm     |",
        FULL,
      ],
    ],
    [
      "a partial last row",
      "!BI?",
      ["type", "seq", "ok"],
      [
        ...RULER,
        FULL,
        "|     type      |                      seq                      |",
        FULL,
        "|  seq (cont.)  |      ok       |",
        "+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+",
      ],
    ],
    [
      "native alignment padding and a field wider than a row",
      "@BQ",
      ["kind", "count"],
      [
        ...RULER,
        FULL,
        "|     kind      |                     (pad)                     |",
        "+-+-+-+-+-+-+-+-+                                               +",
        "|                         (pad) (cont.)                         |",
        FULL,
        "|                             count                             |",
        "+                                                               +",
        "|                         count (cont.)                         |",
        FULL,
      ],
    ],
    [
      "x pad bytes, unnamed values, and names cut to fit",
      "!Bx2B",
      ["a_very_long_field_name"],
      [...RULER, FULL, "|a_very_long_fie|     (pad)     |      [1]      |      [2]      |", FULL],
    ],
    ["an empty layout", "!", [], [...RULER, "+"]],
  ])("%s", (_, format, names, lines) => {
    expect(packetDiagram(layoutOf(format), names)).toBe(lines.join("\n"));
  });
});

describe("fieldTable", () => {
  test("the sensor reading", () => {
    expect(fieldTable(layoutOf("!BHIfff?"), reading)).toEqual([
      "| field | char | type | offset | size | byte order |",
      "|---|---|---|---:|---:|---|",
      "| type | `B` | unsigned char | 0 | 1 |  |",
      "| sensor | `H` | unsigned short | 1 | 2 | big-endian (network) |",
      "| seq | `I` | unsigned int | 3 | 4 | big-endian (network) |",
      "| temperature | `f` | float | 7 | 4 | big-endian (network) |",
      "| humidity | `f` | float | 11 | 4 | big-endian (network) |",
      "| pressure | `f` | float | 15 | 4 | big-endian (network) |",
      "| alarm | `?` | _Bool | 19 | 1 |  |",
    ]);
  });

  test.each<[string, string[], string[]]>([
    [
      "@BdH",
      ["kind", "value", "port"],
      [
        "| kind | `B` | unsigned char | 0 | 1 |  |",
        "| (pad) | | padding | 1 | 7 | |",
        "| value | `d` | double | 8 | 8 | native (little-endian) |",
        "| port | `H` | unsigned short | 16 | 2 | native (little-endian) |",
      ],
    ],
    [
      "<2x10sh",
      ["a|b", "n"],
      [
        "| (pad) | `x` | pad byte | 0 | 2 | |",
        "| a\\|b | `s` | char[10] | 2 | 10 |  |",
        "| n | `h` | short | 12 | 2 | little-endian |",
      ],
    ],
    [">3p", ["s"], ["| s | `p` | char[3] (Pascal string) | 0 | 3 |  |"]],
  ])("%s", (format, names, rows) => {
    expect(fieldTable(layoutOf(format), names).slice(2)).toEqual(rows);
  });
});

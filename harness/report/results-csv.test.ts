import { describe, expect, it } from "vitest";
import { allPassed, fixture, structBinary } from "../../test/support/results-fixture.ts";
import type { SubmissionResult } from "../grade/index.ts";
import { csvColumns, csvField, csvHeader, toCsvRows } from "./results-csv.ts";

// A third submission with a check the others lack, a student's name that needs quoting, and no tcp-echo.
const carol: SubmissionResult = {
  ...allPassed,
  submission: { path: "s/carol", name: "carol", student: 'Carol "CJ", Jr.' },
  tasks: [
    {
      ...structBinary,
      checks: [
        ...structBinary.checks,
        { ...structBinary.checks[0]!, id: "field-sizes", title: "fields have their sizes" },
      ],
    },
  ],
};

describe("csvField (RFC 4180)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    [3.5, "3.5"],
    [1 / 3, "0.33"],
    [null, ""],
    ["=HYPERLINK(1)", "'=HYPERLINK(1)"],
    ["+1", "'+1"],
    ["@sum", "'@sum"],
    ["-x,y", '"\'-x,y"'],
  ])("writes %j as %s", (value, field) => {
    expect(csvField(value)).toBe(field);
  });
});

describe("the gradebook", () => {
  const csv = toCsvRows([fixture, allPassed, carol]);
  const records = csv.split("\r\n");

  it("ends every record with CRLF", () => {
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(records).toHaveLength(5);
    expect(records[4]).toBe("");
  });

  it("has the union of tasks and checks as columns, first seen first", () => {
    expect(records[0]).toBe(
      [
        "submission,student,score,max,status,reason",
        "tcp-echo score,udp-echo score,threaded-echo score,struct-binary score",
        "tcp-echo/server-ready,tcp-echo/handshake,tcp-echo/all-acked,tcp-echo/orderly-close,tcp-echo/cross-probe",
        "udp-echo/datagrams,struct-binary/byte-order,struct-binary/field-sizes",
      ].join(","),
    );
    expect(csvHeader([fixture, allPassed, carol])).toBe(`${records[0]}\r\n`);
  });

  it.each([
    [
      1,
      "alice,Alice Example,5.5,16,errored,socklab could not grade this task (not the student's fault): tcpdump exited with code 1,3.5,0,0,2,1,0.5,0,0,2,0,2,",
    ],
    [2, "bob,,2,2,passed,,,,,2,,,,,,,2,"],
    [3, 'carol,"Carol ""CJ"", Jr.",2,2,passed,,,,,2,,,,,,,2,2'],
  ])("writes record %d with empty cells for what was not graded", (i, record) => {
    expect(records[i]).toBe(record);
  });

  it("gives every record as many fields as the header", () => {
    expect(csvColumns([fixture, allPassed, carol])).toHaveLength(18);
    for (const i of [0, 1, 2]) expect(records[i]!.split(",")).toHaveLength(18);
  });

  it("writes only the header for no submissions", () => {
    expect(toCsvRows([])).toBe("submission,student,score,max,status,reason\r\n");
  });
});

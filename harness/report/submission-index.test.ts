import { describe, expect, it } from "vitest";
import { allPassed, fixture } from "../../test/support/results-fixture.ts";
import { renderSubmissionIndex } from "./submission-index.ts";

const index = renderSubmissionIndex(fixture);

describe("renderSubmissionIndex", () => {
  it.each([
    ["the title with the submission and student", "# socklab report: alice (Alice Example)\n"],
    ["the score and summary", "**Score 5.5/16**: 1 check failed, 1 skipped"],
    ["the grader fault, not blamed on the student", "> **socklab could not grade every task.**"],
    ["a header row", "| section | task | title | status | score | report |"],
    [
      "a passed task",
      "| 2.1 | `struct-binary` | Binary protocol with struct | passed | 2/2 | [struct-binary.md](struct-binary.md) |",
    ],
    [
      "a failed task",
      "| 1.1 | `tcp-echo` | TCP echo server and client | failed | 3.5/7 | [tcp-echo.md](tcp-echo.md) |",
    ],
    ["a not-submitted task", "| not submitted (no 'udp-echo' entry in socklab.yaml) | 0/3 |"],
    ["an errored task without a report", "(not the student's fault): tcpdump exited with code 1 | 0/4 | – |"],
    [
      "timeouts among the warnings",
      "- ⚠ tcp-echo: run main, client: killed by SIGKILL after exceeding its 5 s time limit",
    ],
    ["the submission's warnings", "- ⚠ the host has no network namespaces: runs used the host loopback"],
    ["the seed", "Seed `12345`"],
    [
      "the command that repeats the grading",
      "```sh\nsocklab check submissions/alice --seed 12345 --task tcp-echo,udp-echo,threaded-echo,struct-binary\n```",
    ],
  ])("has %s", (_what, text) => {
    expect(index).toContain(text);
  });

  it("lists the tasks in the result's order", () => {
    const rows = index.split("\n").filter((l) => /^\| \d/.test(l));
    expect(rows.map((r) => r.split(" | ")[1])).toEqual([
      "`tcp-echo`",
      "`udp-echo`",
      "`threaded-echo`",
      "`struct-binary`",
    ]);
  });

  it("leaves out the fault banner, the student and the warnings when there are none", () => {
    const clean = renderSubmissionIndex(allPassed);
    expect(clean).toContain("# socklab report: bob\n");
    expect(clean).toContain("**Score 2/2**: every check passed.");
    expect(clean).not.toContain("could not grade");
    expect(clean).not.toContain("## Warnings");
  });

  it("quotes a path the shell would split and escapes Markdown in names", () => {
    const odd = renderSubmissionIndex({
      ...allPassed,
      submission: { path: "subs/it's mine", name: "it's_mine", student: "<b>Eve</b>" },
    });
    expect(odd).toContain("socklab check 'subs/it'\\''s mine' --seed 12345 --task struct-binary");
    expect(odd).toContain("# socklab report: it's\\_mine (&lt;b&gt;Eve&lt;/b&gt;)");
  });
});

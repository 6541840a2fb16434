import { describe, expect, it } from "vitest";
import { ssForReport } from "./task-runs.ts";

describe("ssForReport", () => {
  it("drops host process ids and shows at most 40 sockets, counting the rest", () => {
    const row = (i: number) =>
      `tcp LISTEN 0 5 127.0.0.1:${40000 + i} 0.0.0.0:* users:(("python3",pid=${9000 + i},fd=${i + 3}))`;
    const text = [
      "Netid State Recv-Q Send-Q Local Peer Process",
      ...Array.from({ length: 100 }, (_, i) => row(i)),
    ].join("\n");
    const shown = ssForReport(text).split("\n");
    expect(shown).toHaveLength(41);
    expect(shown.at(-1)).toBe("… 61 more sockets");
    expect(shown.join("\n")).not.toMatch(/pid=/);
    expect(shown[1]).toContain('users:(("python3",fd=3))');
  });
});

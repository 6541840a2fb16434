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

  it("shows the sockets on the run's port first, and counts those the snapshot had already left out", () => {
    const row = (port: number) => `tcp LISTEN 0 5 127.0.0.1:${port} 0.0.0.0:* users:(("python3",fd=3))`;
    const text = [
      "Netid State Recv-Q Send-Q Local Peer Process",
      ...Array.from({ length: 199 }, (_, i) => row(20000 + i)),
      row(65432),
      "… 45 more sockets",
    ].join("\n");
    const shown = ssForReport(text, 65432).split("\n");
    expect(shown[1]).toContain("127.0.0.1:65432 ");
    expect(shown).toHaveLength(41);
    // 200 rows, 39 shown: 161 left out here and 45 by the snapshot.
    expect(shown.at(-1)).toBe("… 206 more sockets");
  });
});

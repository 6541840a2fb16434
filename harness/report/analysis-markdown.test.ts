import { describe, expect, it } from "vitest";
import { analysePackets, T0, udp } from "../../test/support/analyse-scenarios.ts";
import { UDP_QUIET_US } from "../analyse/analyser.ts";
import { renderAnalysisMarkdown } from "./analysis-markdown.ts";

const C = "127.0.0.1";

describe("analysis Markdown: late packets", () => {
  const packets = [
    udp(C, 40000, C, 5005, "a", T0),
    udp(C, 40001, C, 5005, "b", T0 + UDP_QUIET_US + 10),
    udp(C, 40000, C, 5005, "late", T0 + UDP_QUIET_US + 20),
  ];

  it("says how many packets came after their conversation was finished", () => {
    const analysis = analysePackets(packets, { onConversation: () => {} });
    expect(analysis.capture.latePackets).toBe(1);
    expect(renderAnalysisMarkdown(analysis)).toContain(
      "1 packet came after their conversation had been finished",
    );
  });

  it("says nothing of late packets when there are none", () => {
    expect(renderAnalysisMarkdown(analysePackets(packets))).not.toContain("came after their conversation");
  });
});

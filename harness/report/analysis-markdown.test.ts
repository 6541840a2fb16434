import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analysePackets, T0, udp } from "../../test/support/analyse-scenarios.ts";
import { analyseCapture } from "../analyse/analyse-capture.ts";
import { MAX_UDP_OPEN } from "../analyse/analyser.ts";
import { renderAnalysisMarkdown } from "./analysis-markdown.ts";

const C = "127.0.0.1";

describe("analysis Markdown: late packets", () => {
  // More UDP flows than streaming holds: the first is finished, and a later datagram of it comes late.
  const packets = Array.from({ length: MAX_UDP_OPEN + 1 }, (_, i) => udp(C, 20000 + i, C, 5005, "x", T0 + i));
  packets.push(udp(C, 20000, C, 5005, "late", T0 + MAX_UDP_OPEN + 10));

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

describe("analysis Markdown: what the capture itself did to packets", () => {
  const captures = join(import.meta.dirname, "../../fixtures/captures");

  it("counts packets the snap length cut inside their headers, and names the first", async () => {
    const analysis = await analyseCapture(join(captures, "snaplen-54.pcap"));
    expect(analysis.capture.cut.packets).toBeGreaterThan(0);
    expect(analysis.capture.cut.first?.code).toBe("truncated-by-snaplen");
    expect(analysis.capture.problems.packets).toBe(0);
    const text = renderAnalysisMarkdown(analysis);
    expect(text).toContain(`${analysis.capture.cut.packets} packets were cut by the snap length`);
    expect(text).toContain(`first: packet ${analysis.capture.cut.first?.packet}`);
  });

  it("names fragments of no reassembled datagram among the ignored packets", async () => {
    const analysis = await analyseCapture(join(captures, "fragments/udp-fragments-any.pcap"));
    expect(analysis.capture.ignored.fragments).toBeGreaterThan(0);
    expect(renderAnalysisMarkdown(analysis)).toContain(
      `${analysis.capture.ignored.fragments} IP fragments of no reassembled datagram`,
    );
  });

  it("says nothing of cuts in a capture that has none", async () => {
    const analysis = await analyseCapture(join(captures, "tcp-echo.pcap"));
    expect(analysis.capture.cut).toEqual({ packets: 0, first: null });
    expect(renderAnalysisMarkdown(analysis)).not.toContain("snap length");
  });
});

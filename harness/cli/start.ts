// `socklab start` (what `npm start` runs after set-up): the main job. Until the lab tasks land, it analyses
// the bundled captures of real TCP and UDP echo runs and writes their reports to reports/analyse/.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyseCapture } from "../analyse/index.ts";
import { renderAnalysisMarkdown } from "../report/index.ts";
import { type Command, EXIT } from "./command.ts";
import { paint } from "./output.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundled = ["tcp-echo.pcap", "udp-echo.pcap", "ipv6-tcp-echo.pcap", "tcp-loss.pcap"];

export const startCommand: Command = {
  name: "start",
  summary: "the main job of `npm start`: analyse the bundled captures into reports/analyse/",
  usage:
    "Usage: socklab start [--out DIR]\n\nAnalyses the bundled captures in fixtures/captures/ and writes reports/analyse/*.md.",
  async run(args, output) {
    const outIndex = args.indexOf("--out");
    const outDir =
      outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1]! : join(root, "reports", "analyse");
    await mkdir(outDir, { recursive: true });
    for (const name of bundled) {
      const file = join(root, "fixtures", "captures", name);
      const analysis = await analyseCapture(file);
      const stem = basename(name, ".pcap");
      const report = join(outDir, `${stem}.md`);
      await writeFile(report, renderAnalysisMarkdown(analysis, { title: `Analysis of ${name}` }));
      await writeFile(join(outDir, `${stem}.json`), `${JSON.stringify(analysis, null, 2)}\n`);
      output.out(`${paint(output, "bold", name)}: ${analysis.capture.packets} packets → ${report}`);
      for (const conv of analysis.conversations) {
        const line =
          conv.protocol === "tcp"
            ? `TCP ${conv.client.port} → ${conv.server.port}: handshake ${conv.handshake.complete ? "✓" : "✗"}, ` +
              `${conv.c2s.payloadBytes} B → / ${conv.s2c.payloadBytes} B ←, ` +
              `every byte acked ${conv.c2s.acked.allAcked && conv.s2c.acked.allAcked ? "✓" : "✗"}, close ${conv.close.state}, ` +
              `${conv.c2s.retransmittedPackets + conv.s2c.retransmittedPackets} segments sent again, ` +
              `${conv.labels["duplicate-ack"]} duplicate ACKs`
            : `UDP ${conv.client.port} → ${conv.server.port}: ${conv.c2s.datagrams} datagrams → / ${conv.s2c.datagrams} ←` +
              `${conv.replies.repliedToSource ? ", replies to the source port ✓" : ""}`;
        output.out(`  ${line}`);
      }
    }
    output.out(`Reports written to ${outDir}`);
    return EXIT.ok;
  },
};

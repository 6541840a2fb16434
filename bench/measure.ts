// Internal micro-benchmark (bench/internal-bench.ts runs it), one measurement in a fresh process: `decode` reads
// and decodes every packet; `analyse` runs the streaming TCP/UDP analysis without keeping packets, rendering
// nothing. Prints one JSON line. Not what users run: see analyse-bench.ts.

import { createAnalyser } from "../harness/analyse/index.ts";
import { readCapture } from "../harness/capture/index.ts";
import { decodePacket } from "../harness/decode/index.ts";

const [mode, file] = process.argv.slice(2);
if ((mode !== "decode" && mode !== "analyse") || !file) {
  process.stderr.write("usage: measure.ts decode|analyse FILE\n");
  process.exit(2);
}

const start = performance.now();
let packets = 0;
let checksum = 0;
let conversations = 0;
if (mode === "decode") {
  await readCapture(file, (record, header) => {
    const packet = decodePacket(record, header.linkType);
    packets++;
    checksum = (checksum + packet.payloadLength) | 0;
  });
} else {
  const analyser = createAnalyser({ keepPackets: false, keepStreams: false });
  await readCapture(file, (record, header) => {
    analyser.add(decodePacket(record, header.linkType));
    packets++;
  });
  conversations = analyser.finish().conversations.length;
}
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({
    mode,
    packets,
    seconds,
    packetsPerSecond: Math.round(packets / seconds),
    peakRssKiB: process.resourceUsage().maxRSS,
    conversations,
    checksum,
  })}\n`,
);

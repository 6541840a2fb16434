// A capture file straight to its analysis: readCapture → decodePacket → analyser.

import { readCapture } from "../capture/index.ts";
import { decodePacket } from "../decode/index.ts";
import { type AnalyseOptions, createAnalyser } from "./analyser.ts";
import type { CaptureAnalysis } from "./types.ts";

/** Reads and analyses a capture file (pcap, nanosecond pcap or pcapng). Throws CaptureError if unreadable. */
export async function analyseCapture(path: string, options: AnalyseOptions = {}): Promise<CaptureAnalysis> {
  const analyser = createAnalyser(options);
  const { header } = await readCapture(path, (record, fileHeader) => {
    analyser.add(decodePacket(record, fileHeader.linkType));
  });
  return analyser.finish(header);
}

// What every conversation needs from the analyser while packets stream in.

import type { DecodedPacket } from "../decode/index.ts";
import type { ReassemblyOptions } from "./reassembly.ts";

export interface ConversationContext {
  /** Time of the capture's first packet (for relative times in timelines). */
  readonly captureStartUs: number;
  /**
   * Integer nanoseconds from the capture's first packet to this one (exact in a double for 104 days): the
   * clock every time comparison of the analysis uses.
   */
  relativeNs(packet: DecodedPacket): number;
  readonly streamOptions: ReassemblyOptions;
  /** Payload bytes the UDP timeline rows of one direction may carry (see AnalyseOptions.rowPayloadBytes). */
  readonly rowPayloadBytes: number;
  /** Whether timelines are kept at all. */
  readonly keepTimeline: boolean;
  /**
   * Asks for room for one more timeline row in a conversation that holds `kept` rows: false once the
   * capture's `keepPackets` cap or the per-conversation cap is reached.
   */
  takeRow(kept: number): boolean;
}

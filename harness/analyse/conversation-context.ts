// What every conversation needs from the analyser while packets stream in.

import type { ReassemblyOptions } from "./reassembly.ts";

export interface ConversationContext {
  /** Time of the capture's first packet (for relative times in timelines). */
  readonly captureStartUs: number;
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

// The text of the analysis JSON document socklab writes, built the simple way (one JSON.stringify of the
// whole) for tests to compare the streamed document with.
import type { CaptureAnalysis } from "../../harness/analyse/types.ts";

/** The document expected: indented as JSON.stringify(…, null, 2), each conversation compact on its line. */
export function documentText(analysis: CaptureAnalysis): string {
  const slots = analysis.conversations.map((_, i) => `__conversation_${i}__`);
  let text = JSON.stringify({ ...analysis, conversations: slots }, null, 2);
  analysis.conversations.forEach((c, i) => {
    text = text.replace(`"${slots[i]}"`, () => JSON.stringify(c));
  });
  return `${text}\n`;
}

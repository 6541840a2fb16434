import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { documentText } from "../../test/support/analysis-document.ts";
import { analyseCapture } from "../analyse/index.ts";
import type { Conversation } from "../analyse/types.ts";
import { createAnalysisJsonWriter } from "./analysis-json.ts";

const captures = join(import.meta.dirname, "..", "..", "fixtures", "captures");

async function spoolDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-spool-test-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("createAnalysisJsonWriter", () => {
  it("writes conversations added in any order in id order, as JSON.stringify of the whole analysis", async () => {
    const whole = await analyseCapture(join(captures, "tcp-loss.pcap"));
    const extra = await analyseCapture(join(captures, "udp-echo.pcap"));
    const conversations: Conversation[] = [
      ...whole.conversations,
      ...extra.conversations.map((c, i) => ({ ...c, id: whole.conversations.length + i })),
    ];
    const expected = { ...whole, conversations };
    const parts: string[] = [];
    const dir = await spoolDir();
    const writer = createAnalysisJsonWriter({ write: (t) => parts.push(t) }, dir);
    for (const conversation of [...conversations].reverse()) writer.add(conversation);
    writer.finish({ ...whole, conversations: [] });
    expect(parts.join("")).toBe(documentText(expected));
    expect(JSON.parse(parts.join(""))).toEqual(JSON.parse(JSON.stringify(expected)));
    // The spool's name went as soon as it was opened: nothing is left in the folder, even mid-way.
    expect(readdirSync(dir)).toEqual([]);
  });

  it("copies text that crosses its read chunks intact, multi-byte characters included", async () => {
    const whole = await analyseCapture(join(captures, "tcp-echo.pcap"));
    const first = whole.conversations[0]!;
    const big = { ...first, client: { address: "é€😀".repeat(200_000), port: 1 } } as Conversation;
    const parts: string[] = [];
    const writer = createAnalysisJsonWriter({ write: (t) => parts.push(t) }, await spoolDir());
    writer.add(big);
    writer.finish({ ...whole, conversations: [] });
    expect(parts.join("")).toBe(documentText({ ...whole, conversations: [big] }));
  });

  it("writes an empty list when no conversation was added", async () => {
    const whole = await analyseCapture(join(captures, "tcp-echo.pcap"), { port: 1 });
    const parts: string[] = [];
    const writer = createAnalysisJsonWriter({ write: (t) => parts.push(t) }, await spoolDir());
    writer.finish(whole);
    expect(JSON.parse(parts.join("")).conversations).toEqual([]);
    expect(parts.join("")).toBe(`${JSON.stringify(whole, null, 2)}\n`);
  });
});

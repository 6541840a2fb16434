import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { documentText } from "../../test/support/analysis-document.ts";
import { analyseCapture } from "../analyse/index.ts";
import { main } from "./main.ts";
import { memoryOutput } from "./output.ts";

const captures = join(import.meta.dirname, "..", "..", "fixtures", "captures");

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-cli-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("socklab analyse", () => {
  it("prints a Markdown report with timeline, sequence diagram and overhead", async () => {
    const output = memoryOutput();
    expect(await main(["analyse", join(captures, "tcp-echo.pcap")], output)).toBe(0);
    const text = output.stdout.join("");
    expect(text).toContain("## TCP conversation 0");
    expect(text).toContain("### Three-way handshake");
    expect(text).toContain("```mermaid\nsequenceDiagram");
    expect(text).toContain("Orderly close: a FIN each way, each acknowledged.");
    expect(text).toContain("### Overhead");
  });

  it("prints the documented JSON document with --json", async () => {
    const output = memoryOutput();
    expect(await main(["analyse", "--json", join(captures, "udp-echo.pcap")], output)).toBe(0);
    const doc = JSON.parse(output.stdout.join(""));
    expect(doc.version).toBe(1);
    expect(doc.conversations[0].protocol).toBe("udp");
    expect(doc.conversations[0].replies.repliedToSource).toBe(true);
  });

  it("keeps only conversations on --port and writes --out", async () => {
    const dir = await tempDir();
    const out = join(dir, "sub", "report.md");
    const output = memoryOutput();
    expect(
      await main(["analyse", join(captures, "tcp-echo.pcap"), "--port", "1", "--out", out], output),
    ).toBe(0);
    const text = await readFile(out, "utf8");
    expect(text).toContain("| port filter | 1 |");
    expect(text).not.toContain("## TCP conversation");
  });

  it("reads a pcapng file", async () => {
    const output = memoryOutput();
    expect(await main(["analyse", "--json", join(captures, "wireshark.pcapng")], output)).toBe(0);
    expect(JSON.parse(output.stdout.join("")).capture.format).toBe("pcapng");
  });

  it("exits 2 with one line naming the file and byte offset for a truncated capture", async () => {
    const dir = await tempDir();
    const bytes = await readFile(join(captures, "tcp-echo.pcap"));
    const broken = join(dir, "broken.pcap");
    await writeFile(broken, bytes.subarray(0, bytes.length - 5));
    const output = memoryOutput();
    expect(await main(["analyse", broken], output)).toBe(2);
    expect(output.stderr).toHaveLength(1);
    expect(output.stderr[0]).toMatch(/broken\.pcap: .*at byte \d+/);
  });

  it("streams --json as the library's whole analysis, every conversation in id order on a line of its own", async () => {
    for (const name of ["tcp-loss.pcap", "udp-echo.pcap", "ipv6-tcp-echo.pcap"]) {
      const file = join(captures, name);
      const output = memoryOutput();
      expect(
        await main(["analyse", "--json", "--packets", "all", "--stream-bytes", "1048576", file], output),
      ).toBe(0);
      const whole = await analyseCapture(file, { keepStreams: 1 << 20, hashStreams: true });
      expect(output.stdout.join("")).toBe(documentText(whole));
    }
  });

  it("caps timeline rows per conversation and says how many were left out", async () => {
    const file = join(captures, "tcp-loss.pcap");
    const output = memoryOutput();
    expect(await main(["analyse", "--json", "--packets", "3", file], output)).toBe(0);
    const doc = JSON.parse(output.stdout.join(""));
    const conversation = doc.conversations[0];
    expect(conversation.timeline).toHaveLength(3);
    expect(conversation.timelineOmitted).toBe(conversation.packets - 3);
    expect(conversation.timelineTruncated).toBe(true);
    const markdown = memoryOutput();
    expect(await main(["analyse", "--packets", "3", file], markdown)).toBe(0);
    expect(markdown.stdout.join("")).toContain(
      `${conversation.packets - 3} later packets of this conversation`,
    );
  });

  it("keeps --stream-bytes of each stream, while length and SHA-256 cover all of it", async () => {
    const file = join(captures, "tcp-loss.pcap");
    const output = memoryOutput();
    expect(await main(["analyse", "--json", "--stream-bytes", "10", file], output)).toBe(0);
    const c2s = JSON.parse(output.stdout.join("")).conversations[0].c2s.stream;
    const whole = (await analyseCapture(file)).conversations[0];
    expect(c2s.bytesKept).toBe(Math.min(10, c2s.length));
    expect(Buffer.from(c2s.base64, "base64")).toHaveLength(c2s.bytesKept);
    expect(whole?.protocol === "tcp" && whole.c2s.stream.sha256).toBe(c2s.sha256);
  });

  it.each([
    [["analyse", "a.pcap", "--packets", "1.5"], /--packets takes a whole number or "all"/],
    [
      ["analyse", "a.pcap", "--json", "--stream-bytes", "all"],
      /--stream-bytes takes a whole number, not 'all'/,
    ],
    [["analyse", "a.pcap", "--stream-bytes", "10"], /--stream-bytes goes with --json/],
    [["analyse"], /name exactly one capture file/],
    [["analyse", "a.pcap", "--port", "70000"], /--port takes a port number/],
    [["nonsense"], /unknown command 'nonsense'/],
    [["analyse", "/nonexistent.pcap"], /nonexistent\.pcap/],
  ])("explains bad usage %j on stderr with exit 2", async (args, message) => {
    const output = memoryOutput();
    expect(await main(args, output)).toBe(2);
    expect(output.stderr.join("")).toMatch(message);
  });

  it("prints help with exit 0", async () => {
    const output = memoryOutput();
    expect(await main(["--help"], output)).toBe(0);
    expect(output.stdout.join("")).toContain("analyse");
  });
});

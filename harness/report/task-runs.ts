// The per-run sections of a task report: which programs ran and how they ended, excerpts of their output,
// socket-state snapshots (what the handout asks students to watch with netstat), and the capture's analysis
// (timeline, sequence diagram, overhead) with a link to the pcap beside the report.
import { relative } from "node:path";
import type { RunRecord, Snapshot } from "../grade/index.ts";
import { renderAnalysisMarkdown } from "./analysis-markdown.ts";
import { code, fenced } from "./markdown.ts";

const MAX_OUTPUT_LINES = 25;

function excerpt(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  if (lines.length <= MAX_OUTPUT_LINES) return lines.join("\n");
  return [...lines.slice(0, MAX_OUTPUT_LINES), `… ${lines.length - MAX_OUTPUT_LINES} more lines`].join("\n");
}

/** Lines of a socket snapshot a report shows; the rest are counted. */
const MAX_SS_LINES = 40;

/**
 * `ss` output for a report: process ids dropped (they are the run's own, and say nothing to a student; a
 * host-mode run's are the host's), the header first, then the sockets on the run's `port` (the ones the
 * task is about), then the rest, at most MAX_SS_LINES lines; the sockets left out are counted, with any the
 * snapshot itself had already left out ("… N more sockets").
 */
export function ssForReport(text: string, port?: number): string {
  const lines = text
    .trim()
    .replace(/,pid=\d+/g, "")
    .split("\n");
  let omitted = 0;
  const last = lines.at(-1)?.match(/^… (\d+) more sockets$/);
  if (last) {
    omitted = Number(last[1]);
    lines.pop();
  }
  const [header = "", ...rows] = lines;
  const onPort = (row: string) => port !== undefined && row.includes(`:${port} `);
  const ordered = [header, ...rows.filter(onPort), ...rows.filter((r) => !onPort(r))];
  const shown = ordered.slice(0, MAX_SS_LINES);
  omitted += ordered.length - shown.length;
  return omitted === 0 ? shown.join("\n") : [...shown, `… ${omitted} more sockets`].join("\n");
}

function snapshotText(snapshot: Snapshot, port: number): string {
  const mine = snapshot.sockets.filter((s) => s.localPort === port || s.remotePort === port);
  const states = new Map<string, number>();
  for (const s of mine) states.set(s.state, (states.get(s.state) ?? 0) + 1);
  const summary = [...states].map(([state, n]) => `${n} ${state}`).join(", ") || "no sockets on the port";
  return `**${snapshot.label}** (${snapshot.atMs} ms into the run): ${summary}.\n\n${fenced(ssForReport(snapshot.ss, port) || "(ss printed nothing)", "text")}`;
}

/** Markdown sections for each run of a task; links are relative to `reportDir`. */
export function renderRunSections(runs: readonly RunRecord[], reportDir: string, level = 2): string[] {
  const h = "#".repeat(level);
  const out: string[] = [];
  for (const run of runs) {
    const parts: string[] = [`${h} Run ${code(run.name)}: ${run.title}`];
    const capture = run.captureFile
      ? `[capture.pcap](${relative(reportDir, run.captureFile)}) (open it in Wireshark; the display filter ${code("!(udp.port == 9)")} hides socklab's end-of-capture marker)`
      : "no capture";
    parts.push(
      `Sandbox: ${run.mode === "namespace" ? "its own network namespace" : "the host loopback (no isolation)"}; ${run.wallMs} ms; ${capture}.`,
    );
    const programs = [run.server, ...run.clients].filter((p) => p !== null);
    for (const p of programs) {
      if (p.outcome.stdout.trim())
        parts.push(`Output of the ${p.role.name}:\n\n${fenced(excerpt(p.outcome.stdout), "text")}`);
      if (p.outcome.stderr.trim())
        parts.push(`Errors of the ${p.role.name}:\n\n${fenced(excerpt(p.outcome.stderr), "text")}`);
    }
    if (run.snapshots.length > 0) {
      parts.push(`${h}# Socket states`);
      parts.push(
        "LISTEN is the server's listening socket; ESTABLISHED, one per open connection on each side; TIME_WAIT, a " +
          "connection the side that closed first keeps for a while after it ended.",
      );
      for (const s of run.snapshots) parts.push(snapshotText(s, run.port));
    }
    if (run.idleCpu) {
      parts.push(
        `The server used ${run.idleCpu.cpuMs} ms of CPU time over ${run.idleCpu.windowMs} ms after the clients left.`,
      );
    }
    for (const e of [...run.faults.map((f) => f.message), ...run.warnings]) parts.push(`- ⚠ ${e}`);
    if (run.analysis) {
      // The packet-level detail is long: folded, so the report reads as the verdicts and the summaries.
      const packets = run.analysis.capture.packets;
      parts.push(
        `<details><summary>Traffic of run ${run.name}: ${packets} packet${packets === 1 ? "" : "s"}, conversations, timeline (open)</summary>`,
        renderAnalysisMarkdown(run.analysis, {
          title: `Traffic of run ${code(run.name)}`,
          level: level + 1,
        }).trim(),
        "</details>",
      );
    }
    out.push(parts.join("\n\n"));
  }
  return out;
}

// What `socklab init` writes and prints: the drafted socklab.yaml (with comments on what to check) and the
// table of the tasks placed — each program's command and why it was placed there — then what is left.
import { toYaml } from "../yaml.ts";
import type { Draft } from "./draft-manifest.ts";

const HEADER = [
  "# Drafted by `socklab init` from the programs' sources (docs/init.md): check each command",
  "# (docs/manifest.md), then run `socklab check`.",
];
const PROTOCOL_COMMENT = "# drafted from the struct formats in the code: check the field names";

/** YAML without folded lines, and short lists of plain words on one line (`fields: [type, seq, ok]`). */
function yaml(value: unknown): string {
  const lines = toYaml(value, { lineWidth: 0 }).trimEnd().split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)(fields|values):$/.exec(lines[i]!);
    const indent = head?.[1] ?? "";
    const items: string[] = [];
    for (let j = i + 1; head && lines[j]?.startsWith(`${indent}  - `); j++)
      items.push(lines[j]!.slice(indent.length + 4));
    if (!head || items.length === 0 || !items.every((item) => /^[\w.+-]+$/.test(item))) {
      out.push(lines[i]!);
      continue;
    }
    out.push(`${indent}${head[2]}: [${items.join(", ")}]`);
    i += items.length;
  }
  return out.join("\n");
}

/** The drafted manifest's text. */
export function draftYaml(draft: Draft): string {
  const { build, protocol, tasks } = draft.manifest;
  const parts = [...HEADER];
  if (build) parts.push(yaml({ build }));
  if (protocol) parts.push(PROTOCOL_COMMENT, yaml({ protocol }));
  const taskText = yaml({ tasks })
    .split("\n")
    .flatMap((line) => {
      const own = /^(\s+)protocol:$/.exec(line);
      return own ? [`${own[1]}${PROTOCOL_COMMENT}`, line] : [line];
    });
  parts.push(...taskText);
  return `${parts.join("\n")}\n`;
}

/** The table of the draft: task, side, command and why, in aligned columns. */
export function draftTable(draft: Draft): string[] {
  const rows = draft.rows.flatMap((r) => [
    [r.task, "server", r.server, r.why.server.join(" + ")],
    ["", "client", r.client, r.why.client.join(" + ")],
  ]);
  const head = ["task", "side", "command", "why"];
  const widths = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ")}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

// A sensor task's `protocol:` drafted from the struct formats its client and server pack and unpack: the
// client's format is the `reading`, the server's the `reply`; field names from the variables packed or
// unpacked (f1, f2… where the code shows none); `sequence:` for a field named like seq, seq_no or counter;
// `match:` for a first field always packed from one constant (`MSG_READING = 1`, a literal 1). The draft is
// checked as socklab checks a manifest's; whatever does not pass is left out and said.
import { checkProtocol, parseStructFormat, valueChars } from "../../protocol/index.ts";
import type { ProgramFacts, StructUse } from "./program-facts.ts";
import { isSequenceName } from "./python-struct.ts";

/** One drafted message, as written under `protocol.messages`. */
export interface DraftMessage {
  readonly name: string;
  readonly from: "client" | "server";
  readonly format: string;
  readonly fields: readonly string[];
  readonly sequence?: string;
  readonly match?: Readonly<Record<string, number | string>>;
}

export interface DraftProtocol {
  readonly messages: readonly DraftMessage[];
}

const INTEGER = new Set(["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "n", "N"]);

function identifier(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "f");
  return clean || "field";
}

/** The field names of a format, from every use of it: the names packed, else unpacked into, else f1, f2… */
function fieldNames(uses: readonly StructUse[], count: number): string[] {
  const packs = uses.filter((u) => u.op === "pack");
  const unpacks = uses.filter((u) => u.op === "unpack");
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const seen = [...packs, ...unpacks]
      .map((u) => u.names[i])
      .filter((n): n is string => typeof n === "string" && n !== "_");
    // a loop variable (i, k) says less than the name on the other side; a sequence-like name says most
    const good = seen.filter((n) => n.length > 1);
    const constant = packs.some((u) => u.constants[i] !== null || u.constantNames[i] !== null);
    let name =
      good.find(isSequenceName) ?? good[0] ?? seen[0] ?? (i === 0 && constant ? "type" : `f${i + 1}`);
    name = identifier(name);
    let unique = name;
    for (let k = 2; names.includes(unique); k++) unique = `${name}_${k}`;
    names.push(unique);
  }
  return names;
}

/** The formats a side sends: what it packs, else what the other side unpacks; in order of appearance. */
function sentFormats(sender: ProgramFacts, receiver: ProgramFacts): string[] {
  const packed = sender.structs.filter((s) => s.op === "pack").map((s) => s.format);
  const formats =
    packed.length > 0 ? packed : receiver.structs.filter((s) => s.op === "unpack").map((s) => s.format);
  return [...new Set(formats)];
}

function messageName(
  side: "client" | "server",
  primary: boolean,
  via: string | null,
  taken: Set<string>,
): string {
  const base = primary
    ? side === "client"
      ? "reading"
      : "reply"
    : (via ?? "")
        .toLowerCase()
        .replace(/_?(format|fmt|struct|msg|message)s?$/g, "")
        .replace(/^_+|_+$/g, "") || (side === "client" ? "message" : "answer");
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

function messagesOf(
  side: "client" | "server",
  sender: ProgramFacts,
  receiver: ProgramFacts,
  taken: Set<string>,
): DraftMessage[] {
  const uses = [...sender.structs, ...receiver.structs];
  const drafts = sentFormats(sender, receiver).flatMap((format) => {
    const parsed = parseStructFormat(format);
    if (!parsed.ok) return [];
    const chars = valueChars(parsed.value);
    const mine = uses.filter((u) => u.format === format);
    const fields = fieldNames(mine, chars.length);
    const sequence = fields.find((f, i) => isSequenceName(f) && INTEGER.has(chars[i]!));
    const firsts = mine.filter((u) => u.op === "pack").map((u) => u.constants[0]);
    const first = firsts[0];
    const matchable =
      (typeof first === "number" && INTEGER.has(chars[0]!)) ||
      (typeof first === "string" && first.length === 1 && chars[0] === "c");
    const constant = firsts.length > 0 && firsts.every((c) => c === first) && matchable;
    const via = mine.find((u) => u.via)?.via ?? null;
    const match = constant ? { [fields[0]!]: first as number | string } : undefined;
    return [{ format, fields, sequence, match, via }];
  });
  // The reading (or reply) is the numbered one, else the one with the most fields.
  const primary =
    drafts.find((d) => d.sequence) ?? [...drafts].sort((a, b) => b.fields.length - a.fields.length)[0];
  const ordered = primary ? [primary, ...drafts.filter((d) => d !== primary)] : [];
  return ordered.map((d, i) => ({
    name: messageName(side, i === 0, d.via, taken),
    from: side,
    format: d.format,
    fields: d.fields,
    ...(d.sequence ? { sequence: d.sequence } : {}),
    ...(d.match ? { match: d.match } : {}),
  }));
}

/** The protocol a sensor client and server speak, or null with why; notes say what was left out. */
export function draftProtocol(
  client: ProgramFacts,
  server: ProgramFacts,
): { protocol: DraftProtocol | null; notes: string[] } {
  const taken = new Set<string>();
  const fromClient = messagesOf("client", client, server, taken);
  const fromServer = messagesOf("server", server, client, taken);
  if (fromClient.length === 0)
    return {
      protocol: null,
      notes: ["no struct format packed by the client was found: write protocol: by hand"],
    };
  const notes: string[] = [];
  const attempts: DraftMessage[][] = [
    [...fromClient, ...fromServer],
    [fromClient[0]!, ...fromServer.slice(0, 1)],
    [fromClient[0]!, ...fromServer.slice(0, 1)].map(({ match: _, ...m }) => m),
  ];
  for (const [k, messages] of attempts.entries()) {
    const checked = checkProtocol({ protocol: { messages } });
    if (!checked.ok) continue;
    if (k > 0)
      notes.push("messages that did not fit one description together were left out: add them by hand");
    return { protocol: { messages }, notes };
  }
  const checked = checkProtocol({ protocol: { messages: attempts[2] } });
  const problem = checked.ok ? "" : (checked.problems[0]?.message ?? "");
  return {
    protocol: null,
    notes: [`the struct formats found do not make a valid protocol (${problem}): write it by hand`],
  };
}

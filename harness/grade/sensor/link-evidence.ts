// What socklab's lossy link did in a run, read once from its output and cross-checked once with the capture
// of both legs; shared by the reliable-UDP checks and the report.
import {
  crossCheckLink,
  type LinkCheck,
  type LinkOutput,
  linkLegsOf,
  parseLinkOutput,
} from "../../impair/index.ts";
import type { RunRecord } from "../../session/index.ts";
import { conversations } from "../evidence.ts";

/** The link's output in a run, and whether its log agrees with the capture. */
export interface RunLink extends LinkOutput {
  readonly agreement: LinkCheck;
}

const cache = new WeakMap<RunRecord, RunLink | null>();

/** The name of the link program in a run (linkRole's default). */
export const LINK_PROGRAM = "link";

/** The link of a run (null when the run had none), computed once per run. */
export function linkOf(run: RunRecord): RunLink | null {
  if (cache.has(run)) return cache.get(run)!;
  const program = run.clients.find((c) => c.role.name === LINK_PROGRAM);
  let link: RunLink | null = null;
  if (program) {
    const output = parseLinkOutput(program.outcome.stdout);
    const legs = linkLegsOf(conversations(run), { linkPort: output.port ?? 0, serverPort: run.port });
    link = { ...output, agreement: crossCheckLink(output.log, legs) };
  }
  cache.set(run, link);
  return link;
}

/** Whether a client command takes its server port from socklab ({port}), so the link can go in between. */
export function clientTakesPort(command: string): boolean {
  return command.includes("{port}");
}

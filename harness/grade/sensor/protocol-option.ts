// A task option holding a protocol description (the sensor tasks' per-task override of the manifest's
// top-level `protocol:`), checked with the protocol descriptor; each problem names its key under the task.
import { checkProtocol, type Protocol } from "../../protocol/index.ts";
import { z } from "../../schema/index.ts";
import type { TaskEntry } from "../manifest.ts";

/** `protocol:` under a task: the same shape as the top-level one, checked into a Protocol. */
export const protocolOption = z
  .unknown()
  .optional()
  .transform((raw, ctx): Protocol | undefined => {
    if (raw === undefined) return undefined;
    const checked = checkProtocol({ protocol: raw });
    if (checked.ok) return checked.protocol;
    for (const problem of checked.problems) {
      // Problem paths start with `protocol`; the issue's path is already the task's `protocol` key.
      const rest = problem.path.replace(/^protocol\.?/, "");
      ctx.addIssue({ code: "custom", message: rest ? `${rest}: ${problem.message}` : problem.message });
    }
    return z.NEVER;
  });

/** A task entry's own protocol, read from the manifest's value with the option's schema. */
const ownProtocol = z.object({ protocol: protocolOption });

/** The protocol a task grades with: its own `protocol` option, else the manifest's, else none. */
export function taskProtocol(entry: TaskEntry, manifestProtocol: Protocol | null): Protocol | null {
  const own = ownProtocol.safeParse(entry.input);
  return (own.success ? own.data.protocol : undefined) ?? manifestProtocol;
}

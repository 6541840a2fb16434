// A task option holding a protocol description (the sensor tasks' per-task override of the manifest's
// top-level `protocol:`), checked with the protocol descriptor; each problem names its key under the task.
import { checkProtocol, type Protocol } from "../../protocol/index.ts";
import { z } from "../schema.ts";

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

/** The protocol a task grades with: its own `protocol` option, else the manifest's, else none. */
export function taskProtocol(options: unknown, manifestProtocol: Protocol | null): Protocol | null {
  const own = (options as { protocol?: Protocol } | null)?.protocol;
  return own ?? manifestProtocol;
}

// `--task a,b`: the task ids a command is narrowed to, each one a task socklab has.
import { TASKS } from "../../tasks/index.ts";
import { UsageError } from "./harness-error.ts";

/** The ids of `--task` (undefined when not given); an unknown id is a usage error naming the known ones. */
export function taskList(text: string | undefined): string[] | undefined {
  const ids = text?.split(",").map((s) => s.trim());
  for (const id of ids ?? []) {
    if (!TASKS.some((t) => t.id === id))
      throw new UsageError(`unknown task '${id}'; tasks are ${TASKS.map((t) => t.id).join(", ")}`);
  }
  return ids;
}

// `socklab tasks`: the lab's tasks with their defaults and checks.
import { TASKS } from "../../tasks/index.ts";
import { maxScore } from "../grade/index.ts";
import { type Command, EXIT } from "./command.ts";

export const tasksCommand: Command = {
  name: "tasks",
  summary: "list the lab's tasks, their default host and port, and their checks",
  usage: "Usage: socklab tasks\n\nLists every task socklab grades (docs/tasks.md has the details).",
  async run(_args, output) {
    for (const task of TASKS) {
      output.out(
        `${task.id} (${task.section}) — ${task.title}, ${task.defaults.host}:${task.defaults.port}, ${maxScore(task)} points`,
      );
      for (const c of task.checks)
        output.out(`  ${c.id.padEnd(24)} ${String(c.points).padStart(2)}  ${c.title}`);
    }
    return EXIT.ok;
  },
};

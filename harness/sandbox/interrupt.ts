// Stopping every run at once when socklab itself is asked to stop (SIGINT, SIGTERM): open runs are ended at
// their root (the holder, whose namespaces take every program with them; in host mode the run's marked
// programs too), and no new run opens. Each run's own close still removes its staging folder.

interface Abortable {
  abort(): void;
}

const open = new Set<Abortable>();
let interrupted = false;

/** Tracks an open run until `forget`. */
export function trackRun(run: Abortable): void {
  open.add(run);
}

export function forgetRun(run: Abortable): void {
  open.delete(run);
}

/** Ends every open run now and refuses new ones. */
export function interruptRuns(): void {
  interrupted = true;
  for (const run of open) run.abort();
}

/** Whether interruptRuns was called in this process. */
export function runsInterrupted(): boolean {
  return interrupted;
}

// Host-mode runs share the host's loopback, so only one may run at a time in this process.
import { SandboxError } from "./errors.ts";

interface Waiter {
  readonly grant: () => void;
}

let held = false;
const queue: Waiter[] = [];

/** Waits for the host-loopback lock; resolves with its release function. */
export function acquireHostLock(timeoutMs: number): Promise<() => void> {
  return new Promise((resolve, reject) => {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant();
      else held = false;
    };
    if (!held) {
      held = true;
      resolve(release);
      return;
    }
    const waiter: Waiter = {
      grant: () => {
        clearTimeout(timer);
        resolve(release);
      },
    };
    const timer = setTimeout(() => {
      queue.splice(queue.indexOf(waiter), 1);
      reject(
        new SandboxError(
          "HOST_LOCK_TIMEOUT",
          `waited ${timeoutMs} ms for another host-mode run to finish (host runs share the loopback and go one at a time)`,
        ),
      );
    }, timeoutMs);
    queue.push(waiter);
  });
}

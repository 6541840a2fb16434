// A concurrency limiter: at most `n` jobs at once, the rest wait in order.

/** Runs a job under a concurrency limit. */
export type Limit = <T>(job: () => Promise<T>) => Promise<T>;

/** Returns a function that runs jobs with at most `n` of them in flight. */
export function limiter(n: number): Limit {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

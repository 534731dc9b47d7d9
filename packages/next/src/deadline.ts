/** Thrown (and reported to onError) when a read or write misses its deadline. */
export class CacheDeadlineError extends Error {
  constructor(operation: string, ms: number) {
    super(`@momento-http/next: ${operation} exceeded ${ms} ms`);
    this.name = 'CacheDeadlineError';
  }
}

/** Resolves `work` or rejects with a CacheDeadlineError after `ms`; the timer never keeps the process alive. */
export function deadline<T>(work: Promise<T>, ms: number, operation: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheDeadlineError(operation, ms)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  // A late rejection of `work` after the deadline must not surface as an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

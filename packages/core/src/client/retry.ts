/** Backoff, `Retry-After` and an abortable sleep. */
import type { AbortLike } from './abort';

/** First backoff step. Momento's SDKs retry almost at once; over HTTP a little more is saner. */
export const RETRY_BASE_DELAY_MS = 50;
/** Largest backoff step. */
export const RETRY_MAX_DELAY_MS = 1000;

/**
 * Delay before retry number `retry` (0-based): exponential with "equal jitter", i.e. a random
 * value between half and all of `base * 2^retry` (capped), so clients that failed together do
 * not retry together.
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** retry);
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts. `keepAlive: false` lets
 * the process exit meanwhile (a background reconnect backoff).
 */
export function sleep(ms: number, signal: AbortLike, keepAlive = true): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (!keepAlive) (timer as { unref?: () => void }).unref?.();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

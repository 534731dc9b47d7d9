/** Pure pieces: backoff, Retry-After, the light abort object, URL redaction. */
import { describe, expect, it } from 'vitest';
import { CallAbort } from '../../src/client/abort';
import { redactUrl } from '../../src/client/response-errors';
import { backoffDelayMs, parseRetryAfter, sleep } from '../../src/client/retry';

describe('backoff', () => {
  it('is exponential with equal jitter, capped at 1 s', () => {
    expect(backoffDelayMs(0, () => 0)).toBe(25);
    expect(backoffDelayMs(0, () => 1)).toBe(50);
    expect(backoffDelayMs(3, () => 0)).toBe(200);
    expect(backoffDelayMs(3, () => 1)).toBe(400);
    expect(backoffDelayMs(20, () => 1)).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
});

describe('CallAbort', () => {
  it('notifies listeners once, mirrors into a lazily created AbortSignal', () => {
    const abort = new CallAbort();
    let calls = 0;
    const listener = () => calls++;
    abort.addEventListener('abort', listener);
    const removed = () => (calls += 100);
    abort.addEventListener('abort', removed);
    abort.removeEventListener('abort', removed);
    abort.abort('why');
    abort.abort('again');
    expect(calls).toBe(1);
    expect(abort.reason).toBe('why');
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe('why');
  });

  it('a signal taken before the abort follows it', () => {
    const abort = new CallAbort();
    const signal = abort.signal;
    expect(signal.aborted).toBe(false);
    abort.abort(new Error('x'));
    expect(signal.aborted).toBe(true);
  });

  it('sleep rejects with the reason when aborted', async () => {
    const abort = new CallAbort();
    const pending = sleep(10_000, abort);
    abort.abort('stop');
    await expect(pending).rejects.toBe('stop');
  });
});

describe('redactUrl', () => {
  it('removes user info and token parameters, leaves clean URLs alone', () => {
    expect(redactUrl('https://u:secret@h/cache/c?key=k')).toBe('https://h/cache/c?key=k');
    expect(redactUrl('https://h/cache/c?key=k&token=abc')).not.toContain('abc');
    expect(redactUrl('https://h/cache/c?key=k')).toBe('https://h/cache/c?key=k');
  });
});

/**
 * Retries, deadlines, aborts and hooks against the real server: faults are injected by the
 * server itself and attempts are counted from its /metrics.
 */
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { type ErrorEvent, MomentoError, ServerError, TimeoutError } from '../../src/index';

const t = useLocalServer();

describe('retries', () => {
  it('retries = N means exactly N extra attempts, then the last error', async () => {
    for (const retries of [0, 1, 3]) {
      t.server.faults.clear();
      t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 503 });
      const before = await t.requestCount('cache_get', 503);
      const error = await t
        .client({ retries })
        .get('default-cache', 'k')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect((await t.requestCount('cache_get', 503)) - before).toBe(1 + retries);
    }
    t.server.faults.clear();
  });

  it('succeeds on the attempt after the faults run out; the server saw every attempt', async () => {
    const c = t.client({ retries: 3 });
    await c.set('default-cache', 'retry-ok', 'v');
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 502, count: 2 });
    const before502 = await t.requestCount('cache_get', 502);
    const before200 = await t.requestCount('cache_get', 200);
    expect(new TextDecoder().decode(await c.get('default-cache', 'retry-ok'))).toBe('v');
    expect((await t.requestCount('cache_get', 502)) - before502).toBe(2);
    expect((await t.requestCount('cache_get', 200)) - before200).toBe(1);
  });

  it('connection resets are retried too', async () => {
    const c = t.client({ retries: 2 });
    await c.set('default-cache', 'reset-ok', 'v');
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', reset: true, count: 2 });
    expect(await c.get('default-cache', 'reset-ok')).toBeDefined();
  });

  it('4xx are never retried', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 400, count: 5 });
    const before = await t.requestCount('cache_get', 400);
    await expect(t.client({ retries: 3 }).get('default-cache', 'k')).rejects.toMatchObject({
      status: 400,
    });
    expect((await t.requestCount('cache_get', 400)) - before).toBe(1);
    t.server.faults.clear();
  });

  it('429 is not retried unless retryOn429', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 429, count: 1 });
    const before = await t.requestCount('cache_get', 429);
    await expect(t.client({ retries: 3 }).get('default-cache', 'k')).rejects.toMatchObject({
      status: 429,
      code: 'LIMIT_EXCEEDED',
    });
    expect((await t.requestCount('cache_get', 429)) - before).toBe(1);
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 429, count: 1 });
    await expect(
      t.client({ retries: 3, retryOn429: true }).get('default-cache', 'k'),
    ).resolves.toBeUndefined();
    expect((await t.requestCount('cache_get', 429)) - before).toBe(2);
  });

  it('hooks see every attempt with timing, and whether it will be retried', async () => {
    const requests: number[] = [];
    const statuses: number[] = [];
    const errors: ErrorEvent[] = [];
    const c = t.client({
      retries: 2,
      hooks: {
        onRequest: (e) => requests.push(e.attempt),
        onResponse: (e) => {
          statuses.push(e.status);
          expect(e.durationMs).toBeGreaterThanOrEqual(0);
        },
        onError: (e) => errors.push(e),
      },
    });
    t.server.faults.add({ path: '/cache/default-cache', method: 'DELETE', status: 500, count: 1 });
    await c.delete('default-cache', 'hooked');
    expect(requests).toEqual([0, 1]);
    expect(statuses).toEqual([500, 204]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ method: 'DELETE', attempt: 0, willRetry: true });
    expect(errors[0]!.error).toBeInstanceOf(ServerError);
  });

  it('a hook that throws does not break the call', async () => {
    const c = t.client({
      hooks: {
        onRequest: () => {
          throw new Error('metrics broke');
        },
      },
    });
    await expect(c.get('default-cache', 'k')).resolves.toBeUndefined();
  });
});

describe('deadline and abort', () => {
  it('the deadline holds against a slow server: TimeoutError, no retry after it', async () => {
    // A server slower than any loaded machine: the bound tells "gave up" from "waited", nothing finer.
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', delayMs: 10_000, count: 1 });
    const started = Date.now();
    const error = await t
      .client({ timeoutMs: 200, retries: 3 })
      .get('default-cache', 'slow')
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as MomentoError).message).toMatch(/200 ms/);
    expect((error as MomentoError).url).toContain('/cache/default-cache');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('the deadline covers the retries: backoff never sleeps past it', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', delayMs: 120, status: 503 });
    const started = Date.now();
    const error = await t
      .client({ timeoutMs: 300, retries: 50 })
      .get('default-cache', 'k')
      .catch((e: unknown) => e);
    t.server.faults.clear();
    expect(error).toBeInstanceOf(MomentoError);
    expect(['TIMEOUT', 'SERVER_ERROR']).toContain((error as MomentoError).code);
    // 50 retries of a 120 ms answer would take 6 s or more; 10x the deadline leaves room for load.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('per-call timeoutMs overrides the client default', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', delayMs: 2000, count: 1 });
    await expect(
      t.client({ timeoutMs: 60_000 }).get('default-cache', 'k', { timeoutMs: 100 }),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it('abort rejects with the signal reason, mid-request', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', delayMs: 2000, count: 1 });
    const controller = new AbortController();
    const reason = new Error('user went away');
    const pending = t.client().get('default-cache', 'k', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('abort during the retry backoff rejects with the reason and stops retrying', async () => {
    t.server.faults.add({ path: '/cache/default-cache', method: 'PUT', status: 503 });
    const controller = new AbortController();
    const before = await t.requestCount('cache_set', 503);
    const c = t.client({
      retries: 5,
      hooks: { onError: (e) => e.willRetry && controller.abort('stop') },
    });
    await expect(c.set('default-cache', 'k', 'v', { signal: controller.signal })).rejects.toBe(
      'stop',
    );
    t.server.faults.clear();
    expect((await t.requestCount('cache_set', 503)) - before).toBe(1);
  });

  it('an already-aborted signal rejects without a request', async () => {
    let requests = 0;
    const c = t.client({ hooks: { onRequest: () => requests++ } });
    const reason = new DOMException('nope', 'AbortError');
    await expect(c.get('default-cache', 'k', { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(requests).toBe(0);
  });
});

/** Every error status the server can produce, mapped to the typed family, against the real server. */

import { startServer } from '@momento-http/server';
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  CacheNotFoundError,
  ConnectionError,
  InvalidArgumentError,
  ItemTooLargeError,
  LimitExceededError,
  MomentoClient,
  MomentoError,
  PermissionError,
  ServerError,
} from '../../src/index';
import { fakeJwt } from './jwt';

const t = useLocalServer();

async function failure(promise: Promise<unknown>): Promise<MomentoError> {
  try {
    await promise;
  } catch (error) {
    return error as MomentoError;
  }
  throw new Error('expected the call to fail');
}

describe('typed errors from real responses', () => {
  it('404 Cache Not Found on get, set and delete is CacheNotFoundError (not a miss)', async () => {
    const c = t.client({ retries: 0 });
    for (const call of [
      () => c.get('no-such-cache', 'k'),
      () => c.set('no-such-cache', 'k', 'v'),
      () => c.delete('no-such-cache', 'k'),
    ]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(CacheNotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'CACHE_NOT_FOUND', retryable: false });
      expect(error.message).toMatch(/Cache Not Found/);
      expect(error.message).toContain(`${t.server.url}/cache/no-such-cache`);
    }
  });

  it('401 for an unknown key is AuthenticationError', async () => {
    const c = t.client({ apiKey: fakeJwt({ t: 'g', jti: 'forged' }) });
    const error = await failure(c.get('default-cache', 'k'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, method: 'GET', retryable: false });
  });

  it('403 for a key without the permission is PermissionError', async () => {
    const readonly = t.server.createApiKey({ role: 'readonly' });
    const c = t.client({ apiKey: readonly });
    const error = await failure(c.set('default-cache', 'k', 'v'));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ status: 403, method: 'PUT' });
    const scoped = t.client({
      apiKey: t.server.createApiKey({ role: 'readwrite', keyPrefix: 'mine:' }),
    });
    await scoped.set('default-cache', 'mine:1', 'ok');
    expect(await failure(scoped.get('default-cache', 'theirs:1'))).toBeInstanceOf(PermissionError);
  });

  it('400 from the server (key over 4096 bytes) is BadRequestError with the server message', async () => {
    const error = await failure(t.client().get('default-cache', 'k'.repeat(5000)));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('413 for key + value over the item limit is ItemTooLargeError, not retried', async () => {
    // The client's own check would refuse this before sending: raise it to reach the server.
    const c = t.client({ maxItemBytes: 64 * 1024 * 1024 });
    const before = await t.requestCount('cache_set', 413);
    const error = await failure(c.set('default-cache', 'big', new Uint8Array(5 * 1024 * 1024)));
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect(error).toMatchObject({ status: 413, retryable: false });
    expect((await t.requestCount('cache_set', 413)) - before).toBe(1);
  });

  it('5xx is ServerError (retryable); an unexpected status is a plain MomentoError', async () => {
    t.server.faults.add({ path: '/cache/default-cache', status: 500, count: 1 });
    const error = await failure(t.client({ retries: 0 }).get('default-cache', 'k'));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, retryable: true, code: 'SERVER_ERROR' });
    t.server.faults.add({ path: '/cache/default-cache', status: 418, count: 1 });
    const odd = await failure(t.client({ retries: 0 }).get('default-cache', 'k'));
    expect(odd.constructor).toBe(MomentoError);
    expect(odd.status).toBe(418);
  });

  it('a refused connection is ConnectionError (retryable)', async () => {
    const closed = await startServer({ port: 0 });
    const url = closed.url;
    await closed.close();
    const c = new MomentoClient({ baseUrl: url, apiKey: t.apiKey, retries: 0, env: {} });
    const error = await failure(c.get('default-cache', 'k'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'CONNECTION', retryable: true, method: 'GET' });
    expect(error.cause).toBeDefined();
  });

  it('a dropped connection (reset) is ConnectionError', async () => {
    t.server.faults.add({ path: '/cache/default-cache', reset: true, count: 1 });
    const error = await failure(t.client({ retries: 0 }).get('default-cache', 'k'));
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('bad input is refused before any request with InvalidArgumentError', async () => {
    let requests = 0;
    const c = t.client({ hooks: { onRequest: () => requests++ } });
    for (const call of [
      () => c.get('', 'k'),
      () => c.get('default-cache', ''),
      () => c.set('default-cache', 'k', 'v', { ttlSeconds: 0 }),
      () => c.set('default-cache', 'k', 'v', { ttlSeconds: 1.5 }),
      () => c.set('default-cache', 'k', 42 as unknown as string),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(requests).toBe(0);
    expect(() => t.client({ retries: -1 })).toThrow(InvalidArgumentError);
    expect(() => t.client({ timeoutMs: 0 })).toThrow(InvalidArgumentError);
  });

  it('an expired key fails with API_KEY_EXPIRED before any request', async () => {
    let requests = 0;
    const before = await t.requestCount('cache_get', 401);
    const expired = fakeJwt({ t: 'g', exp: Math.floor(Date.now() / 1000) - 1 });
    const c = t.client({ apiKey: expired, hooks: { onRequest: () => requests++ } });
    const error = await failure(c.get('default-cache', 'k'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('API_KEY_EXPIRED');
    expect(error.message).toMatch(/expired/);
    expect(requests).toBe(0);
    expect(await t.requestCount('cache_get', 401)).toBe(before);
  });

  it('a server-minted key is refused client-side once its exp passes', async () => {
    // exp is in whole seconds: 2 leaves the set at least 1 s.
    const key = t.server.createApiKey({ expiresInSeconds: 2 });
    const c = t.client({ apiKey: key });
    await c.set('default-cache', 'exp', 'v');
    const deadline = Date.now() + 6000;
    let error: MomentoError | undefined;
    while (error?.code !== 'API_KEY_EXPIRED' && Date.now() < deadline) {
      error = await c.get('default-cache', 'exp').then(
        () => undefined,
        (e: MomentoError) => e,
      );
      // A call that left just before exp may reach the server just after it, which refuses it
      // (401 "API key has expired"); the next one must be refused here, before any request.
      if (error) expect(error).toBeInstanceOf(AuthenticationError);
      if (error?.code !== 'API_KEY_EXPIRED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error?.code).toBe('API_KEY_EXPIRED');
  });

  it('no error message, URL or hook event ever carries the token', async () => {
    const events: unknown[] = [];
    const hooks = {
      onRequest: (e: unknown) => events.push(e),
      onResponse: (e: unknown) => events.push(e),
      onError: (e: unknown) => events.push(e),
    };
    const c = t.client({ hooks, retries: 1 });
    t.server.faults.add({ path: '/cache/default-cache', method: 'GET', status: 503 });
    const errors = await Promise.all([
      failure(c.get('no-such-cache', 'k')),
      failure(c.get('default-cache', 'k')),
      failure(c.set('default-cache', 'k'.repeat(5000), 'v')),
    ]);
    t.server.faults.clear();
    for (const error of errors) {
      const everything = `${String(error)} ${error.stack} ${error.url} ${JSON.stringify(error)}`;
      expect(everything).not.toContain(t.apiKey);
      expect(error.url).not.toMatch(/token=/);
    }
    expect(events.length).toBeGreaterThan(3);
    expect(JSON.stringify(events)).not.toContain(t.apiKey);
  });
});

describe('429', () => {
  it('is LimitExceededError with Retry-After, not retried by default; retried and honoured when opted in', async () => {
    const limited = await startServer({ port: 0, rateLimit: { opsPerSecond: 1, burst: 1 } });
    try {
      const key = limited.createApiKey();
      const make = (retryOn429: boolean) =>
        new MomentoClient({ baseUrl: limited.url, apiKey: key, retryOn429, env: {} });
      await make(false).get('default-cache', 'k'); // takes the one token
      const error = await failure(make(false).get('default-cache', 'k'));
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error).toMatchObject({ status: 429, retryable: false });
      expect((error as LimitExceededError).retryAfterSeconds).toBeGreaterThanOrEqual(1);

      const started = Date.now();
      await expect(make(true).get('default-cache', 'k')).resolves.toBeUndefined();
      // It waited for Retry-After (1 s) instead of hammering: the bucket refills at 1/s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await limited.close();
    }
  });
});

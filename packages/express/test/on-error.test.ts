/**
 * `onError` receives an `Error` (issue 17): what the components catch is handed on as it is when
 * it is one, and wrapped (the original as `cause`) when a custom store rejects with anything else.
 */
import { ConnectionError, createMemoryStore } from '@momento-http/core';
import { eventually, RecordingStore } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CacheOperation } from '../src/index';
import { cachedApp, frameworks } from './support';

describe.each(frameworks)('onError ($name)', ({ express }) => {
  function appFailingWith(failure: unknown) {
    const store = new RecordingStore(createMemoryStore());
    store.rule({ method: 'get', fail: failure });
    const seen: { error: Error; operation: CacheOperation }[] = [];
    const { app } = cachedApp(
      express,
      store,
      { onError: (error, operation) => seen.push({ error, operation }) },
      (a) => a.get('/r', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('r')),
    );
    return { app, seen };
  }

  it('gets a MomentoError as it was thrown', async () => {
    const failure = new ConnectionError('fetch failed');
    const { app, seen } = appFailingWith(failure);
    expect((await request(app).get('/r')).status).toBe(200);
    await eventually(() => seen.length > 0, { what: 'onError called' });
    expect(seen[0]).toEqual({ error: failure, operation: 'read' });
  });

  it('gets an Error wrapping a non-Error rejection, the value as its cause', async () => {
    const { app, seen } = appFailingWith('socket hang up');
    expect((await request(app).get('/r')).status).toBe(200);
    await eventually(() => seen.length > 0, { what: 'onError called' });
    const { error, operation } = seen[0] ?? {};
    expect(operation).toBe('read');
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/non-Error value: socket hang up/);
    expect(error?.cause).toBe('socket hang up');
  });
});

// Failure handling against the real server: injected faults (server.faults) and a stopped server.
// Every method must resolve to its neutral value, emit 'error', and come back in bounded time.
import { MomentoError, TimeoutError } from '@momento-http/core';
import { startServer } from '@momento-http/server';
import { startLocalServer, useLocalServer } from '@momento-http/test-kit';
import Keyv from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyvMomento } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const TIMEOUT_MS = 300;

/** A store whose client does not retry, so each fault costs one request. */
function faultyStore() {
  const client = local.client({ retries: 0 });
  const store = new KeyvMomento({ client, namespace: uniqueNamespace(), timeoutMs: TIMEOUT_MS });
  const errors: unknown[] = [];
  store.on('error', (error) => errors.push(error));
  return { store, errors };
}

/** Every method once; returns what each resolved to. */
async function everyMethod(store: KeyvMomento) {
  return {
    get: await store.get('k'),
    set: await store.set('k', 'v', 60_000),
    has: await store.has('k'),
    delete: await store.delete('k'),
    getMany: await store.getMany(['a', 'b']),
    setMany: await store.setMany([{ key: 'a', value: '1' }]),
    hasMany: await store.hasMany(['a']),
    deleteMany: await store.deleteMany(['a']),
    clear: await store.clear(),
  };
}

const NEUTRAL = {
  get: undefined,
  set: false,
  has: false,
  delete: false,
  getMany: [undefined, undefined],
  setMany: [false],
  hasMany: [false],
  deleteMany: false,
  clear: undefined,
};

afterEach(() => {
  local.server.faults.clear();
});

describe('injected faults', () => {
  it('a 500 on every call: neutral results and one error event per call', async () => {
    const { store, errors } = faultyStore();
    local.server.faults.add({ path: '/cache', status: 500 });
    expect(await everyMethod(store)).toEqual(NEUTRAL);
    expect(errors).toHaveLength(9);
    for (const error of errors) expect(error).toBeInstanceOf(MomentoError);
  });

  it('a hung server: each call gives up at its deadline with a TimeoutError', async () => {
    const { store, errors } = faultyStore();
    local.server.faults.add({ path: '/cache', delayMs: 10_000 });
    const started = performance.now();
    expect(await store.get('k')).toBeUndefined();
    expect(await store.set('k', 'v')).toBe(false);
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, undefined]);
    // Three deadlines (getMany's keys run in parallel); a generous bound, not a timing claim.
    expect(performance.now() - started).toBeLessThan(5 * 3 * TIMEOUT_MS);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toBeInstanceOf(TimeoutError);
  });

  it('connection resets: neutral results, errors emitted', async () => {
    const { store, errors } = faultyStore();
    local.server.faults.add({ path: '/cache', reset: true });
    expect(await everyMethod(store)).toEqual(NEUTRAL);
    expect(errors.length).toBe(9);
  });

  it('recovers as soon as the fault clears', async () => {
    // A server of its own: a request still finishing from an earlier test (a failed clear()
    // re-reads its generation) must not take this test's one fault.
    const own = await startLocalServer();
    try {
      const store = new KeyvMomento({ client: own.client({ retries: 0 }), timeoutMs: TIMEOUT_MS });
      own.server.faults.add({ path: '/cache', status: 503, count: 1 });
      expect(await store.set('k', 'v')).toBe(false);
      expect(await store.set('k', 'v')).toBe(true);
      expect(await store.get('k')).toBe('v');
    } finally {
      await own.close();
    }
  });

  it('with throwOnErrors the error reaches the caller (and is still emitted)', async () => {
    const client = local.client({ retries: 0 });
    const store = new KeyvMomento({ client, namespace: uniqueNamespace(), throwOnErrors: true });
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    local.server.faults.add({ path: '/cache', status: 500 });
    await expect(store.get('k')).rejects.toBeInstanceOf(MomentoError);
    await expect(store.getMany(['a'])).rejects.toBeInstanceOf(MomentoError);
    expect(errors).toHaveLength(2);
  });

  it('never throws without an error listener, under Keyv 5 and Keyv 6', async () => {
    local.server.faults.add({ path: '/cache', status: 500 });
    const client = local.client({ retries: 0 });
    const keyv5 = new Keyv(new KeyvMomento({ client }), { useKeyPrefix: false });
    const keyv6 = new Keyv6({ store: new KeyvMomento({ client }) });
    for (const keyv of [keyv5, keyv6] as Array<
      Pick<Keyv, 'get' | 'set' | 'has' | 'delete' | 'clear'>
    >) {
      expect(await keyv.get('k')).toBeUndefined();
      expect(await keyv.set('k', 'v')).toBe(false);
      expect(await keyv.has('k')).toBe(false);
      expect(await keyv.delete('k')).toBe(false);
      await keyv.clear();
    }
  });

  it('disconnect() aborts calls in flight', async () => {
    const client = local.client({ retries: 0 });
    const store = new KeyvMomento({ client, namespace: uniqueNamespace(), timeoutMs: 10_000 });
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    local.server.faults.add({ path: '/cache', delayMs: 10_000 });
    const pending = store.get('k');
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the request leave
    const started = performance.now();
    await store.disconnect();
    expect(await pending).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(String(errors[0])).toMatch(/disconnected/);
  });
});

describe('server stopped', () => {
  it('neutral results, errors emitted, bounded latency', async () => {
    const server = await startServer({ port: 0 });
    const client = local.client({
      baseUrl: server.url,
      apiKey: server.createApiKey(),
      retries: 1,
    });
    const store = new KeyvMomento({ client, timeoutMs: TIMEOUT_MS });
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    expect(await store.set('k', 'v')).toBe(true);
    await server.close();
    const started = performance.now();
    expect(await everyMethod(store)).toEqual(NEUTRAL);
    expect(performance.now() - started).toBeLessThan(5 * 9 * TIMEOUT_MS);
    expect(errors).toHaveLength(9);
    for (const error of errors) expect(error).toBeInstanceOf(MomentoError);
  });
});

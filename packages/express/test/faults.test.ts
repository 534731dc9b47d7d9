// Damaged and slow cache answers, injected by the kit's fault proxy between the middleware and
// the real local server: each is a MISS served by the origin and reported to onError, and
// nothing that was stored is lost or overwritten.
import { TimeoutError } from '@momento-http/core';
import {
  eventually,
  type ProxyFault,
  RecordingStore,
  useFaultProxy,
  useLocalServer,
} from '@momento-http/test-kit';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheOperation, ResponseCacheOptions } from '../src/index';
import { cachedApp, uniquePrefix } from './support';

const local = useLocalServer();
const proxy = useFaultProxy(local);
afterEach(() => proxy.clear());

const PUBLIC = 'public, max-age=60';
/** Larger than one cache item (5 MB): stored as a manifest and chunks. */
const BIG = 5_500_000;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An app on a store that reaches the local server through the fault proxy. */
function setup(options: ResponseCacheOptions = {}) {
  const errors: { op: CacheOperation; error: unknown }[] = [];
  const calls = { v: 0, big: 0 };
  const prefix = uniquePrefix();
  const tag = `${prefix}products`;
  const store = new RecordingStore(local.store({ baseUrl: proxy.url, retries: 0 }));
  const built = cachedApp(
    express,
    store,
    { keyPrefix: prefix, onError: (error, op) => errors.push({ op, error }), ...options },
    (a) => {
      a.get('/v', (_req, res) => {
        calls.v++;
        res.set({ 'Cache-Control': PUBLIC, Vary: 'Accept-Language', 'Cache-Tag': tag });
        res.send(`v${calls.v}`);
      });
      a.get('/big', (_req, res) => {
        calls.big++;
        res.set('Cache-Control', PUBLIC).send(Buffer.alloc(BIG, calls.big));
      });
    },
  );
  const { port } = built.app.address() as { port: number };
  const primary = (path: string) => `${prefix}GET|http://127.0.0.1:${port}${path}`;
  const get = (path: string, language = 'en') =>
    request(built.app).get(path).set('Accept-Language', language);
  return { ...built, store, errors, calls, tag, primary, get };
}

/** Purges the tag, stores two variants of /v (en, fr) and reads en again, so its tags are known. */
async function warm(app: ReturnType<typeof setup>) {
  // A tag record exists (as after any purge), so there is a body to damage.
  await app.cache.purge({ tags: [app.tag] });
  expect((await app.get('/v', 'en')).text).toBe('v1');
  await app.store.idle();
  expect((await app.get('/v', 'fr')).text).toBe('v2');
  await app.store.idle();
  expect((await app.get('/v', 'en')).headers['x-cache']).toBe('HIT');
}

const faults: [string, ProxyFault][] = [
  ['garbage', { kind: 'garbage' }],
  ['a truncated body (matching length)', { kind: 'truncate', contentLength: 'matching' }],
  ['a cut-off body (original length)', { kind: 'truncate', contentLength: 'original' }],
];

describe.each(faults)('%s from the cache', (_name, fault) => {
  it('on the vary spec: a reported miss, and no new spec orphans the stored variants', async () => {
    const app = setup();
    await warm(app);
    proxy.add({ method: 'GET', key: app.primary('/v'), count: 1, fault });
    const res = await app.get('/v', 'en');
    await app.store.idle();
    expect([res.text, res.headers['x-cache']]).toEqual(['v3', 'MISS']);
    expect(app.errors.map((e) => e.op)).toContain('read');
    // The spec and both variants are still there.
    expect([(await app.get('/v', 'en')).text, (await app.get('/v', 'fr')).text]).toEqual([
      'v1',
      'v2',
    ]);
  });

  it('on the variant: a reported miss; the other variant is untouched', async () => {
    const app = setup();
    await warm(app);
    const variant = new RegExp(`^${escapeRegExp(app.primary('/v'))}\\|v\\|`);
    proxy.add({ method: 'GET', key: variant, count: 1, fault });
    const res = await app.get('/v', 'en');
    await app.store.idle();
    expect([res.text, res.headers['x-cache']]).toEqual(['v3', 'MISS']);
    expect(app.errors.map((e) => e.op)).toContain('read');
    const fr = await app.get('/v', 'fr');
    expect([fr.text, fr.headers['x-cache']]).toEqual(['v2', 'HIT']);
  });

  it('on a tag record: a reported miss (never served as fresh); nothing is rewritten', async () => {
    const app = setup();
    await warm(app);
    const tagWrites = proxy.count({ method: 'PUT', key: `__tag__|${app.tag}` });
    proxy.add({ method: 'GET', key: `__tag__|${app.tag}`, count: 1, fault });
    const res = await app.get('/v', 'fr');
    await app.store.idle();
    expect([res.text, res.headers['x-cache']]).toEqual(['v3', 'MISS']);
    expect(app.errors.map((e) => e.op)).toContain('tags');
    expect(proxy.count({ method: 'PUT', key: `__tag__|${app.tag}` })).toBe(tagWrites);
    const en = await app.get('/v', 'en');
    expect([en.text, en.headers['x-cache']]).toEqual(['v1', 'HIT']);
  });

  it.each(['manifest', 'chunk'])(
    'on the %s of a chunked body: a reported miss, then the whole body again',
    async (part) => {
      // Reading 5.5 MB on a loaded machine: the time bound is not what this test is about.
      const app = setup({ readTimeoutMs: 10_000 });
      await app.get('/big');
      // The encoding runs before the store is called: wait for the manifest (written last).
      await eventually(() => proxy.count({ method: 'PUT', key: app.primary('/big') }) === 1);
      await app.store.idle();
      const manifest = app.primary('/big');
      const key = part === 'manifest' ? manifest : new RegExp(`^${escapeRegExp(manifest)}#`);
      const rule = proxy.add({ method: 'GET', key, count: 1, fault });
      const res = await app.get('/big');
      await app.store.idle();
      expect([res.headers['x-cache'], res.body.length, res.body[0]]).toEqual(['MISS', BIG, 2]);
      expect(rule.hits).toBe(1);
      expect(app.errors.map((e) => e.op)).toContain('read');
      const again = await app.get('/big');
      expect([again.headers['x-cache'], again.body.length]).toEqual(['HIT', BIG]);
    },
  );
});

describe('one deadline for the whole lookup', () => {
  it('a tagged Vary entry, the cache answering at 90 % of readTimeoutMs: done at it, not after two reads', async () => {
    const app = setup({ readTimeoutMs: 500 });
    await warm(app);
    // Spec, then variant and tags: each read alone is in time, together they are not.
    proxy.add({ method: 'GET', delayMs: 450 });
    const started = performance.now();
    const res = await app.get('/v', 'en');
    const elapsed = performance.now() - started;
    expect([res.status, res.headers['x-cache']]).toEqual([200, 'MISS']);
    // Reads one after the other would take at least 900 ms; one deadline ends at 500. The bound
    // sits between, so a loaded machine's late timer is not a failure.
    expect(elapsed).toBeLessThan(725);
    const timeouts = app.errors.filter((e) => e.error instanceof TimeoutError);
    expect(timeouts.map((e) => e.op)).toContain('read');
  });
});

describe.each([
  ['without a near cache', false],
  ['with a near cache', { ttlMs: 60_000 }],
] as const)('read-your-writes %s', (_name, nearCache) => {
  it('a purge is seen by this process at once, while its tag write is still in flight', async () => {
    const app = setup({ nearCache });
    await warm(app);
    // Long enough that the next request surely runs while the write is held.
    const held = proxy.add({ method: 'PUT', key: `__tag__|${app.tag}`, delayMs: 2000 });
    const purging = app.cache.purge({ tags: [app.tag] });
    const res = await app.get('/v', 'en');
    expect(held.hits).toBe(1);
    expect([res.text, res.headers['x-cache']]).toEqual(['v3', 'MISS']);
    await purging;
  });
});

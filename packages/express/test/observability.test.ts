/**
 * Issue 17: failures speak by default (once per cause and process, never per request; `onError`
 * replaces the report) and `stats()` counts what the middleware did, on the real local server.
 */
import {
  failureCauses,
  README_MISSPELT_CACHE,
  RecordingStore,
  readmeFailureReport,
} from '@momento-http/test-kit';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseCacheOptions } from '../src/index';
import { cachedApp, fileBackend, frameworks } from './support';

const { backend, store } = await fileBackend();
const [{ express }] = frameworks;

afterEach(() => {
  vi.restoreAllMocks();
});

/** An app whose /r answers `cacheControl` (and `Age` on the first call), and its middleware. */
function app(
  s: RecordingStore,
  options: ResponseCacheOptions = {},
  cacheControl = 'public, max-age=60',
  firstAge?: string,
) {
  let calls = 0;
  return cachedApp(express, s, options, (a) =>
    a.get('/r', (_req, res) => {
      calls++;
      res.set('Cache-Control', cacheControl);
      if (calls === 1 && firstAge) res.set('Age', firstAge);
      res.send(`body ${calls}`);
    }),
  );
}

describe('failure reports', { timeout: 30_000 }, () => {
  it('each cause is printed once over many requests, naming the cause and never the key', async () => {
    const causes = await failureCauses(backend, 'express');
    for (const cause of causes) {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const failing = new RecordingStore(cause.store);
      // A roomy read deadline: on a loaded machine a timeout would be a second, unrelated cause.
      const { app: server } = app(failing, { circuitBreaker: false, readTimeoutMs: 10_000 });
      for (let i = 0; i < 6; i++) {
        const res = await request(server).get('/r');
        expect(res.status, cause.name).toBe(200);
        await failing.idle();
      }
      const printed = warn.mock.calls.map((args) => String(args[0]));
      expect(printed, cause.name).toHaveLength(1);
      expect(printed[0], cause.name).toContain('[@momento-http/express] cache read failed: ');
      expect(printed[0], cause.name).toContain(cause.says);
      expect(printed[0], cause.name).toContain('Route these with onError');
      expect(printed[0], cause.name).not.toContain(backend.apiKey.slice(-24));
      warn.mockRestore();
    }
  });

  it('a given onError receives every failure and nothing is printed', async () => {
    const [cause] = await failureCauses(backend, 'express-onerror');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failing = new RecordingStore(cause!.store);
    const seen: string[] = [];
    const { app: server } = app(failing, {
      circuitBreaker: false,
      onError: (_error, operation) => seen.push(operation),
    });
    for (let i = 0; i < 4; i++) {
      await request(server).get('/r');
      await failing.idle();
    }
    expect(warn).not.toHaveBeenCalled();
    expect(seen.filter((op) => op === 'read').length).toBeGreaterThanOrEqual(4);
    expect(seen).toContain('write');
  });

  it("prints, word for word, the report the README's Troubleshooting shows", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failing = new RecordingStore(backend.client().cache(README_MISSPELT_CACHE));
    const { app: server } = app(failing, { circuitBreaker: false, readTimeoutMs: 10_000 });
    await request(server).get('/r').expect(200);
    await failing.idle();
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([
      readmeFailureReport(new URL('../README.md', import.meta.url)),
    ]);
  });
});

describe('stats()', () => {
  it('counts one read per request: a miss, then hits; the bytes of the write and the reads', async () => {
    const { app: server, cache } = app(store);
    const before = store.sets.length;
    await request(server).get('/r');
    await store.idle();
    await request(server).get('/r');
    await request(server).get('/r');
    const stats = cache.stats();
    expect(stats).toMatchObject({ hits: 2, misses: 1, stale: 0, errors: 0, nearHits: 0 });
    const written = store.sets.slice(before).reduce((sum, s) => sum + s.value.byteLength, 0);
    expect(stats.bytesWritten).toBe(written);
    expect(stats.bytesRead).toBeGreaterThanOrEqual(2 * written);
  });

  it('counts near-cache hits as hits with no bytes read, and stale answers as stale', async () => {
    const near = app(store, { nearCache: true });
    await request(near.app).get('/r');
    await store.idle();
    await request(near.app).get('/r');
    expect(near.cache.stats()).toMatchObject({ hits: 1, nearHits: 1, misses: 1, bytesRead: 0 });

    const stale = app(store, {}, 'public, max-age=60, stale-while-revalidate=600', '100');
    await request(stale.app).get('/r');
    await store.idle();
    const res = await request(stale.app).get('/r');
    expect(res.headers['x-cache']).toBe('STALE');
    expect(stale.cache.stats()).toMatchObject({ hits: 0, stale: 1, misses: 1 });
  });

  it('counts swallowed failures as errors and their reads as misses', async () => {
    const [cause] = await failureCauses(backend, 'express-stats');
    const failing = new RecordingStore(cause!.store);
    const { app: server, cache } = app(failing, { circuitBreaker: false, onError: () => {} });
    await request(server).get('/r');
    await failing.idle();
    await request(server).get('/r');
    await failing.idle();
    const stats = cache.stats();
    expect(stats).toMatchObject({ hits: 0, misses: 2, bytesRead: 0, bytesWritten: 0 });
    expect(stats.errors).toBeGreaterThanOrEqual(4); // two reads, two writes (and the purge-all reads)
  });
});

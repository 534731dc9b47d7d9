/**
 * Every kind of read the handlers make, answered with damaged bytes through the fault proxy:
 * each is a miss reported to onError, never a rejection or a wrong value, and it writes nothing,
 * so what was stored is still there once the damage stops.
 */
import { randomBytes } from 'node:crypto';
import { encodeEnvelope } from '@momento-http/core';
import { type ProxyFault, useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UseCacheEntry } from '../src/use-cache';
import { exactly, freshNamespace, type ProxiedProcess, proxiedProcess } from './proxied';
import { appPage, pageCtx, pageSetCtx, tick } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 5000, retries: 0 } });
const proxy = useFaultProxy(local);

let foreignEnvelope: Uint8Array;
beforeAll(async () => {
  foreignEnvelope = await encodeEnvelope({ lastModified: 'yesterday', hello: 'world' });
});

const damages: [string, () => ProxyFault][] = [
  ['garbage', () => ({ kind: 'garbage' })],
  ["another writer's envelope", () => ({ kind: 'garbage', body: foreignEnvelope })],
  ['a short body', () => ({ kind: 'truncate', contentLength: 'matching' })],
  ['a cut-off body', () => ({ kind: 'truncate', contentLength: 'original' })],
];

/** Small enough that a page of random text is chunked, so manifests and chunks are read. */
const CHUNKED = { maxItemBytes: 64 * 1024 };

interface ReadKind {
  /** Writes what the damaged read would return, with `ns` as namespace; returns the key regex. */
  store: (ns: string) => Promise<RegExp>;
  /** Reads it: the value, or null/undefined for a miss. */
  read: (process: ProxiedProcess) => Promise<unknown>;
  /** Checks what the undamaged read returns. */
  intact: (value: unknown) => void | Promise<void>;
  options?: { maxItemBytes: number };
}

const bigHtml = randomBytes(150_000).toString('base64');

const isrRead = (process: ProxiedProcess) => process.isr.get('/isr/a', pageCtx);

const kinds: Record<string, ReadKind> = {
  'page entry': {
    async store(ns) {
      await proxiedProcess(local, proxy, { namespace: ns }).isr.set(
        '/isr/a',
        appPage(),
        pageSetCtx(),
      );
      return exactly(`${ns}page|build-1|/isr/a`);
    },
    read: isrRead,
    intact: (hit) => expect((hit as { value: unknown }).value).toEqual(appPage()),
  },
  'tag record': {
    async store(ns) {
      const writer = proxiedProcess(local, proxy, { namespace: ns });
      await writer.isr.set('/isr/a', appPage(), pageSetCtx(60));
      await tick();
      await writer.isr.revalidateTag('isr', { expire: 31_536_000 });
      return exactly(`${ns}tag|isr`);
    },
    read: isrRead,
    // The revalidation survived: the page is served stale (backdated past its revalidate).
    intact: (hit) =>
      expect((hit as { lastModified: number }).lastModified).toBeLessThan(Date.now() - 60_000),
  },
  'chunk manifest': {
    async store(ns) {
      const writer = proxiedProcess(local, proxy, { namespace: ns, ...CHUNKED });
      await writer.isr.set('/isr/a', appPage(bigHtml), pageSetCtx());
      return exactly(`${ns}page|build-1|/isr/a`);
    },
    read: isrRead,
    options: CHUNKED,
    intact: (hit) => expect((hit as { value: { html: string } }).value.html === bigHtml).toBe(true),
  },
  chunk: {
    async store(ns) {
      const writer = proxiedProcess(local, proxy, { namespace: ns, ...CHUNKED });
      await writer.isr.set('/isr/a', appPage(bigHtml), pageSetCtx());
      return exactly(`${ns}page|build-1|/isr/a`, '#');
    },
    read: isrRead,
    options: CHUNKED,
    intact: (hit) => expect((hit as { value: { html: string } }).value.html === bigHtml).toBe(true),
  },
  "'use cache' entry": {
    async store(ns) {
      const entry: UseCacheEntry = {
        value: new Response('use cache bytes').body!,
        tags: ['uc'],
        stale: 300,
        timestamp: Date.now(),
        expire: 3600,
        revalidate: 900,
      };
      await proxiedProcess(local, proxy, { namespace: ns }).useCache.set(
        'k',
        Promise.resolve(entry),
      );
      return exactly(`${ns}uc|k`);
    },
    read: (process) => process.useCache.get('k', ['_N_T_/']),
    intact: async (hit) => {
      const value = (hit as UseCacheEntry).value;
      expect(await new Response(value).text()).toBe('use cache bytes');
    },
  },
};

describe('damaged answers through the fault proxy', { timeout: 30_000 }, () => {
  for (const [kindName, kind] of Object.entries(kinds)) {
    describe(kindName, () => {
      it.each(damages)(
        '%s: a reported miss that writes nothing and loses nothing',
        async (_, fault) => {
          const ns = freshNamespace();
          const key = await kind.store(ns);
          const rule = proxy.add({ method: 'GET', key, fault: fault() });
          const fresh = () => proxiedProcess(local, proxy, { namespace: ns, ...kind.options });
          const reader = fresh();
          proxy.forget();
          const damaged = await kind.read(reader);
          rule.remove();
          expect(rule.hits).toBeGreaterThan(0);
          expect(damaged ?? null).toBeNull();
          expect(reader.errors.length).toBeGreaterThan(0);
          // Reported for what it is: damaged bytes (or a broken connection), not a crash or a timeout.
          for (const { error } of reader.errors) {
            expect([
              'EnvelopeError',
              'ChunkingError',
              'TagStateError',
              'ConnectionError',
            ]).toContain((error as Error).name);
          }
          // A damaged read never writes: no entry, generation or tag record was replaced.
          expect(proxy.count({ method: 'PUT' }) + proxy.count({ method: 'DELETE' })).toBe(0);
          await kind.intact(await kind.read(fresh()));
        },
      );
    });
  }
});

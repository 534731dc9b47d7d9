/**
 * One CacheStore contract, run against every backend and wrapper: the in-memory fake, the real
 * local server over HTTP, and each toolkit wrapper over both. They must be interchangeable.
 */
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { withChunking } from '../../src/toolkit/chunking';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withNamespace } from '../../src/toolkit/namespace';
import { withNearCache } from '../../src/toolkit/with-near-cache';
import { withSingleFlight } from '../../src/toolkit/with-single-flight';
import { text } from './helpers';
import { useLocalServer } from './server';

const local = useLocalServer();
const utf8 = (s: string) => new TextEncoder().encode(s);

const backends: [string, () => CacheStore][] = [
  ['memory', () => createMemoryStore()],
  ['server', () => local.store()],
];
const wrappers: [string, (s: CacheStore) => CacheStore][] = [
  ['plain', (s) => s],
  ['withNearCache', (s) => withNearCache(s)],
  ['withSingleFlight', (s) => withSingleFlight(s)],
  ['withChunking', (s) => withChunking(s)],
  ['withNamespace', (s) => withNamespace(s, `conf-${Math.random()}`)],
  ['all composed', (s) => withNamespace(withNearCache(withSingleFlight(withChunking(s))), 'conf')],
];

let n = 0;
const fresh = () => `conformance-${++n}-${Math.random().toString(36).slice(2)}`;

describe.each(backends)('CacheStore contract on %s', (_backend, makeBackend) => {
  describe.each(wrappers)('%s', (_wrapper, wrap) => {
    const store = () => wrap(makeBackend());

    it('a miss is undefined; strings are stored as UTF-8; bytes come back exactly', async () => {
      const s = store();
      expect(s.cacheName).toBe('default-cache');
      expect(await s.get(fresh())).toBeUndefined();
      const k1 = fresh();
      await s.set(k1, 'héllo 🙂', { ttlSeconds: 60 });
      expect(await s.get(k1)).toEqual(utf8('héllo 🙂'));
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const k2 = fresh();
      await s.set(k2, all, { ttlSeconds: 60 });
      expect(await s.get(k2)).toEqual(all);
      const k3 = fresh();
      await s.set(k3, new Uint8Array(0), { ttlSeconds: 60 });
      expect(await s.get(k3)).toEqual(new Uint8Array(0));
    });

    it('a string key and its UTF-8 bytes name the same item; byte keys work', async () => {
      const s = store();
      const key = `${fresh()}-ключ`;
      await s.set(key, 'v');
      expect(text(await s.get(utf8(key)))).toBe('v');
      const raw = Uint8Array.of(0xff, 0x00, 0x80, ...utf8(fresh()));
      await s.set(raw, 'bytes');
      expect(text(await s.get(raw))).toBe('bytes');
    });

    it('values are copied in and out', async () => {
      const s = store();
      const key = fresh();
      const input = Uint8Array.of(1, 2, 3);
      await s.set(key, input);
      input[0] = 9;
      const out = (await s.get(key))!;
      expect(out).toEqual(Uint8Array.of(1, 2, 3));
      out[1] = 9;
      expect(await s.get(key)).toEqual(Uint8Array.of(1, 2, 3));
    });

    it('overwrite replaces; delete removes and is idempotent', async () => {
      const s = store();
      const key = fresh();
      await s.set(key, 'one');
      await s.set(key, 'two');
      expect(text(await s.get(key))).toBe('two');
      await s.delete(key);
      expect(await s.get(key)).toBeUndefined();
      await expect(s.delete(key)).resolves.toBeUndefined();
    });
  });
});

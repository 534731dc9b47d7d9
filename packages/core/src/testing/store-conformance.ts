import type { CacheStore } from '../contract';
import { DEFAULT_MAX_ITEM_BYTES } from '../toolkit/limits';
import { byteDifference, pattern, typedRejection } from './checks';
import type { ConformanceTestApi } from './test-api';

/** What the suite needs to know about a stack's limits. */
export interface StoreConformanceOptions {
  /**
   * For a stack that chunks: the value size (bytes) past which it stores chunks. The suite
   * round-trips values of this size minus 64, this size, and one byte more (the key counts
   * toward an item, so the exact switch point depends on it). Omit for a stack that does not chunk.
   */
  chunkThresholdBytes?: number;
  /** For a stack that does not chunk: its item limit, key + value. A value over it must be refused with `ITEM_TOO_LARGE`. @default {@link DEFAULT_MAX_ITEM_BYTES} (5,000,000: Momento's and the local server's) */
  itemLimitBytes?: number;
  /** Longest key accepted, in bytes; `null` for a stack that takes keys of any length (it hashes long keys). @default 4096 */
  maxKeyBytes?: number | null;
  /** Largest `ttlSeconds` accepted. @default 86400 */
  maxTtlSeconds?: number;
  /** How long an item written with `ttlSeconds: 1` may take to read as a miss. @default 5000 */
  expiryWithinMs?: number;
  /** The `cacheName` the store must report. @default any non-empty string */
  cacheName?: string;
}

/** Bytes left for what a wrapper adds to a key (namespace, generation, chunk suffix). */
const KEY_ROOM = 256;
const LARGE_TEST_MS = 60_000;

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The `CacheStore` contract (`@momento-http/core`'s contract.ts) as a test suite, in the spirit
 * of `@keyv/test-suite`: run it against any store or wrapped stack to show it can stand in for
 * any other. `makeStore` is called once per test. Every test writes its own random keys, so
 * stores may share a cache and the tests may run concurrently (pass `describe.concurrent` to
 * overlap the one-second TTL waits).
 *
 * @example
 * import { cacheStoreConformance } from '@momento-http/core/testing';
 * import { describe, expect, it } from 'vitest';
 * cacheStoreConformance('memory store', () => createMemoryStore(), { describe, it, expect });
 */
export function cacheStoreConformance(
  name: string,
  makeStore: () => CacheStore | Promise<CacheStore>,
  test: ConformanceTestApi,
  options: StoreConformanceOptions = {},
): void {
  const { describe, it, expect } = test;
  const maxKeyBytes = options.maxKeyBytes === undefined ? 4096 : options.maxKeyBytes;
  const maxTtlSeconds = options.maxTtlSeconds ?? 86_400;
  const expiryWithinMs = options.expiryWithinMs ?? 5000;
  const run = Math.random().toString(36).slice(2, 10);
  let counter = 0;
  const fresh = (label = 'k') => `conformance-${run}-${++counter}-${label}`;

  describe(`CacheStore conformance: ${name}`, () => {
    it('a miss is undefined; the store names its cache', async () => {
      const store = await makeStore();
      const cacheName = typeof store.cacheName === 'string' && store.cacheName !== '';
      expect(cacheName ? (options.cacheName ?? store.cacheName) : 'no cacheName').toBe(
        store.cacheName,
      );
      expect(await store.get(fresh())).toBe(undefined);
      expect(await store.get(utf8(fresh()))).toBe(undefined);
    });

    it('strings are stored as UTF-8 and read back as bytes', async () => {
      const store = await makeStore();
      const key = fresh();
      await store.set(key, 'héllo, 世界 🙂', { ttlSeconds: 60 });
      expect(byteDifference(await store.get(key), utf8('héllo, 世界 🙂'))).toBe('equal');
    });

    it('bytes round-trip exactly: empty, one byte, every byte value', async () => {
      const store = await makeStore();
      const values = [
        new Uint8Array(0),
        Uint8Array.of(0),
        Uint8Array.from({ length: 256 }, (_, i) => i),
      ];
      for (const value of values) {
        const key = fresh(`len${value.length}`);
        await store.set(key, value, { ttlSeconds: 60 });
        expect(byteDifference(await store.get(key), value)).toBe('equal');
      }
    });

    it('a string key and its UTF-8 bytes name one item; unicode and binary keys work', async () => {
      const store = await makeStore();
      const unicode = fresh('ключ-🔑');
      await store.set(unicode, 'by string');
      expect(byteDifference(await store.get(utf8(unicode)), utf8('by string'))).toBe('equal');
      const binary = Uint8Array.of(0x00, 0xff, 0x80, 0x0a, ...utf8(fresh()));
      await store.set(binary, 'by bytes');
      expect(byteDifference(await store.get(binary), utf8('by bytes'))).toBe('equal');
      expect(await store.get(Uint8Array.of(0x01, ...binary.subarray(1)))).toBe(undefined);
    });

    it('long keys round-trip', async () => {
      const store = await makeStore();
      const length = maxKeyBytes === null ? 10_000 : maxKeyBytes - KEY_ROOM;
      const key = fresh().padEnd(length, 'x');
      await store.set(key, 'long');
      expect(byteDifference(await store.get(key), utf8('long'))).toBe('equal');
      const similar = `${key.slice(0, -1)}y`;
      expect(await store.get(similar)).toBe(undefined);
    });

    it('values are copied in and out', async () => {
      const store = await makeStore();
      const key = fresh();
      const input = Uint8Array.of(1, 2, 3);
      await store.set(key, input);
      input[0] = 9;
      const first = await store.get(key);
      expect(byteDifference(first, Uint8Array.of(1, 2, 3))).toBe('equal');
      if (first) first[1] = 9;
      expect(byteDifference(await store.get(key), Uint8Array.of(1, 2, 3))).toBe('equal');
    });

    it('an overwrite replaces the value', async () => {
      const store = await makeStore();
      const key = fresh();
      await store.set(key, 'first');
      await store.set(key, pattern(10, 2));
      expect(byteDifference(await store.get(key), pattern(10, 2))).toBe('equal');
    });

    it('delete removes the item; deleting a missing key succeeds', async () => {
      const store = await makeStore();
      const key = fresh();
      await store.set(key, 'doomed');
      await store.delete(key);
      expect(await store.get(key)).toBe(undefined);
      expect(await store.delete(key)).toBe(undefined);
      expect(await store.delete(fresh('never-written'))).toBe(undefined);
    });

    it(
      'an item expires after its ttlSeconds',
      async () => {
        const store = await makeStore();
        const key = fresh();
        await store.set(`${key}-kept`, 'kept', { ttlSeconds: 60 });
        const written = Date.now();
        await store.set(key, 'brief', { ttlSeconds: 1 });
        const first = await store.get(key);
        // On a stalled machine the 1 s may be over by the first read; only then is a miss right.
        if (first !== undefined || Date.now() - written < 1000) {
          expect(byteDifference(first, utf8('brief'))).toBe('equal');
        }
        const deadline = Date.now() + expiryWithinMs;
        let state = 'present';
        while (state === 'present' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if ((await store.get(key)) === undefined) state = 'expired';
        }
        expect(state).toBe('expired');
        expect(byteDifference(await store.get(`${key}-kept`), utf8('kept'))).toBe('equal');
      },
      expiryWithinMs + 5000,
    );

    it('concurrent writes to one key leave one of the written values, whole', async () => {
      const store = await makeStore();
      const key = fresh();
      const values = Array.from({ length: 16 }, (_, i) => pattern(100 + i * 37, i + 1));
      await Promise.all(values.map((value) => store.set(key, value)));
      const stored = await store.get(key);
      const which = values.findIndex((value) => byteDifference(stored, value) === 'equal');
      expect(
        which === -1 ? `not a written value: ${stored?.length} bytes` : 'a written value',
      ).toBe('a written value');
    });

    if (options.chunkThresholdBytes !== undefined) {
      const threshold = options.chunkThresholdBytes;
      it(
        'values just under and over the chunking threshold round-trip',
        async () => {
          const store = await makeStore();
          for (const length of [threshold - 64, threshold, threshold + 1]) {
            const key = fresh(`len${length}`);
            const value = pattern(length, length);
            await store.set(key, value, { ttlSeconds: 60 });
            expect(byteDifference(await store.get(key), value)).toBe('equal');
          }
        },
        LARGE_TEST_MS,
      );
    } else {
      const limit = options.itemLimitBytes ?? DEFAULT_MAX_ITEM_BYTES;
      it(
        'a value within the item limit round-trips; one over it is ITEM_TOO_LARGE',
        async () => {
          const store = await makeStore();
          const key = fresh();
          const fits = pattern(limit - 1024, 3);
          await store.set(key, fits, { ttlSeconds: 60 });
          expect(byteDifference(await store.get(key), fits)).toBe('equal');
          const tooLarge = new Uint8Array(limit + 1);
          expect(await typedRejection(() => store.set(fresh(), tooLarge), ['ITEM_TOO_LARGE'])).toBe(
            'rejected ITEM_TOO_LARGE',
          );
        },
        LARGE_TEST_MS,
      );
    }

    it('bad keys are refused with a typed error', async () => {
      const store = await makeStore();
      const invalid = ['INVALID_ARGUMENT'] as const;
      for (const [what, key] of [
        ['an empty string', ''],
        ['empty bytes', new Uint8Array(0)],
        ['a lone surrogate', `${fresh()}\uD800`],
      ] as const) {
        expect(`${what}: ${await typedRejection(() => store.get(key), invalid)}`).toBe(
          `${what}: rejected INVALID_ARGUMENT`,
        );
        expect(`${what}: ${await typedRejection(() => store.set(key, 'v'), invalid)}`).toBe(
          `${what}: rejected INVALID_ARGUMENT`,
        );
        expect(`${what}: ${await typedRejection(() => store.delete(key), invalid)}`).toBe(
          `${what}: rejected INVALID_ARGUMENT`,
        );
      }
      if (maxKeyBytes !== null) {
        const long = 'k'.repeat(maxKeyBytes + 1);
        expect(
          await typedRejection(() => store.set(long, 'v'), ['BAD_REQUEST', 'INVALID_ARGUMENT']),
        ).toBe('rejected BAD_REQUEST');
      }
    });

    it('bad TTLs are refused with a typed error, and nothing is stored', async () => {
      const store = await makeStore();
      for (const ttlSeconds of [0, -1, 1.5, Number.NaN]) {
        const key = fresh();
        expect(
          `ttl ${ttlSeconds}: ${await typedRejection(() => store.set(key, 'v', { ttlSeconds }), ['INVALID_ARGUMENT'])}`,
        ).toBe(`ttl ${ttlSeconds}: rejected INVALID_ARGUMENT`);
        expect(await store.get(key)).toBe(undefined);
      }
      const key = fresh();
      const overMax = { ttlSeconds: maxTtlSeconds + 1 };
      expect(
        await typedRejection(
          () => store.set(key, 'v', overMax),
          ['BAD_REQUEST', 'INVALID_ARGUMENT'],
        ),
      ).toBe('rejected BAD_REQUEST');
      expect(await store.get(key)).toBe(undefined);
    });
  });
}

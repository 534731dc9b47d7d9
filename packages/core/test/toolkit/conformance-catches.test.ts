// The conformance suite must be able to fail: run it, through a recording test API, against
// stores that each break one rule, and check that exactly the tests for that rule fail.
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { cacheStoreConformance } from '../../src/testing';
import { createMemoryStore } from '../../src/toolkit/memory-store';

/** Runs the suite on `store` and returns the names of the tests that failed. */
async function failingTests(makeStore: () => CacheStore): Promise<string[]> {
  const tests: [string, () => Promise<void>][] = [];
  cacheStoreConformance(
    'broken',
    makeStore,
    { describe: (_name, body) => body(), it: (name, body) => tests.push([name, body]), expect },
    { expiryWithinMs: 1500, itemLimitBytes: 64 * 1024 },
  );
  const failed: string[] = [];
  for (const [name, body] of tests) await body().catch(() => failed.push(name));
  return failed;
}

const memory = createMemoryStore('default-cache', { maxItemBytes: 64 * 1024 });
const broken = (overrides: Partial<CacheStore>): CacheStore => ({
  cacheName: 'default-cache',
  get: (key, options) => memory.get(key, options),
  set: (key, value, options) => memory.set(key, value, options),
  delete: (key, options) => memory.delete(key, options),
  ...overrides,
});

// Concurrent: each run waits about a second for its TTL test.
describe.concurrent('the conformance suite catches', () => {
  it('nothing on a correct store', async () => {
    expect(await failingTests(() => memory)).toEqual([]);
  });

  it('a delete that does nothing (but still checks its key)', async () => {
    const store = broken({ delete: async (key) => void (await memory.get(key)) });
    expect(await failingTests(() => store)).toEqual([
      'delete removes the item; deleting a missing key succeeds',
    ]);
  });

  it('a store that keeps items past their TTL', async () => {
    const store = broken({ set: (key, value) => memory.set(key, value, { ttlSeconds: 60 }) });
    expect(await failingTests(() => store)).toEqual([
      'an item expires after its ttlSeconds',
      'bad TTLs are refused with a typed error, and nothing is stored',
    ]);
  });

  it('a store that loses the last byte of long values', async () => {
    const store = broken({
      get: async (key) => (await memory.get(key))?.subarray(0, 200),
    });
    expect(await failingTests(() => store)).toEqual([
      'bytes round-trip exactly: empty, one byte, every byte value',
      'concurrent writes to one key leave one of the written values, whole',
      'a value within the item limit round-trips; one over it is ITEM_TOO_LARGE',
    ]);
  });

  it('a store that accepts empty keys', async () => {
    const store = broken({
      get: (key) => memory.get(key.length === 0 ? '(empty)' : key),
      set: (key, value, options) => memory.set(key.length === 0 ? '(empty)' : key, value, options),
    });
    expect(await failingTests(() => store)).toEqual(['bad keys are refused with a typed error']);
  });
});

/** Chunking against the real local server over HTTP (item limit 5 MiB, as Momento's 5 MB). */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index';
import { withChunking } from '../../src/toolkit/chunking';
import type { ChunkingError } from '../../src/toolkit/errors';
import { digest, sameBytes } from './helpers';
import { rng } from './random';

const local = useLocalServer({ clientOptions: { timeoutMs: 30_000 } });

describe('withChunking over HTTP', { timeout: 120_000 }, () => {
  it('a 20 MB value round-trips', async () => {
    const errors: ChunkingError[] = [];
    const store = withChunking(local.store(), { onError: (e) => errors.push(e) });
    const value = rng(20).bytes(20 * 1024 * 1024);
    await store.set('twenty-mb', value, { ttlSeconds: 300 });
    expect(sameBytes(await store.get('twenty-mb'), value)).toBe(true);
    // The raw item at the key is a small manifest, not the value.
    expect((await local.store().get('twenty-mb'))!.length).toBeLessThan(200);
    expect(errors).toEqual([]);
  });

  it('values up to the item limit are stored as-is, larger ones chunked', async () => {
    const store = withChunking(local.store());
    const fits = rng(21).bytes(4_000_000);
    await store.set('fits', fits);
    expect(sameBytes(await local.store().get('fits'), fits)).toBe(true);
    const over = rng(22).bytes(5_300_000); // over the server's 5 MiB: would be a 413 unchunked
    await store.set('over', over);
    expect(sameBytes(await store.get('over'), over)).toBe(true);
  });

  it('concurrent writers of one chunked key never yield a mix: a reader gets one write or a miss', async () => {
    const writers = 3;
    const rounds = 2;
    const values = Array.from({ length: writers * rounds }, (_, i) =>
      rng(100 + i).bytes(6_000_000),
    );
    const known = new Set(await Promise.all(values.map(digest)));
    const errors: ChunkingError[] = [];
    // Separate wrappers, as separate processes would have.
    const stores = Array.from({ length: writers + 2 }, () =>
      withChunking(local.store(), { onError: (e) => errors.push(e) }),
    );
    let writing = true;
    const observed: string[] = [];
    const readers = [stores[writers]!, stores[writers + 1]!].map(async (reader) => {
      while (writing) {
        const value = await reader.get('contended');
        observed.push(value === undefined ? 'miss' : await digest(value));
      }
    });
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let r = 0; r < rounds; r++) {
          await stores[w]!.set('contended', values[w * rounds + r]!, { ttlSeconds: 120 });
        }
      }),
    );
    writing = false;
    await Promise.all(readers);
    expect(observed.length).toBeGreaterThan(2);
    for (const seen of observed) expect(seen === 'miss' || known.has(seen)).toBe(true);
    // The last completed manifest wins: a final read is one of the written values.
    const final = await stores[0]!.get('contended');
    expect(known.has(await digest(final!))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a failed chunk write rejects the set and leaves the previous value whole', async () => {
    const noRetries = createClient({
      baseUrl: local.server.url,
      apiKey: local.server.createApiKey(),
      env: {},
      retries: 0,
    }).cache('default-cache');
    const store = withChunking(noRetries, { concurrency: 1 });
    const before = rng(30).bytes(11_000_000);
    await store.set('fault-key', before);
    local.server.faults.add({ path: '/cache/', method: 'PUT', status: 500, count: 1 });
    await expect(store.set('fault-key', rng(31).bytes(11_000_000))).rejects.toMatchObject({
      status: 500,
    });
    local.server.faults.clear();
    expect(sameBytes(await store.get('fault-key'), before)).toBe(true);
  });
});

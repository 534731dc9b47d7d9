import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  MAX_KEY_BYTES,
} from '../../src/toolkit/limits';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { normalizeTtlPolicy } from '../../src/toolkit/ttl';

describe('limits', () => {
  it('are Momento on-demand limits: 24 h TTL, 5 MB (decimal) items, 4 KiB keys', () => {
    expect(DEFAULT_MAX_TTL_SECONDS).toBe(24 * 60 * 60);
    expect(DEFAULT_MAX_ITEM_BYTES).toBe(5_000_000);
    expect(MAX_KEY_BYTES).toBe(4096);
  });

  it('are the defaults of the TTL policy and the memory store', async () => {
    expect(normalizeTtlPolicy().maxTtlSeconds).toBe(DEFAULT_MAX_TTL_SECONDS);
    const store = createMemoryStore();
    const key = 'k';
    await store.set(key, new Uint8Array(DEFAULT_MAX_ITEM_BYTES - key.length));
    await expect(
      store.set(key, new Uint8Array(DEFAULT_MAX_ITEM_BYTES - key.length + 1)),
    ).rejects.toThrow(/too large/);
    await expect(store.set(key, 'v', { ttlSeconds: DEFAULT_MAX_TTL_SECONDS + 1 })).rejects.toThrow(
      /at most 86400/,
    );
  });
});

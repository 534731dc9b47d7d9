import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { type ResponseCacheOptions, responseCache } from '../src/index';

const store = createMemoryStore();

describe('options', () => {
  it.each<[string, ResponseCacheOptions]>([
    ['statuses', { statuses: [99] }],
    ['readTimeoutMs', { readTimeoutMs: 0 }],
    ['maxTtlSeconds', { maxTtlSeconds: 1.5 }],
    ['defaultTtlSeconds', { defaultTtlSeconds: -1 }],
    ['maxBodyBytes', { maxBodyBytes: Number.NaN }],
    ['statusHeader', { statusHeader: 'bad header' }],
    ['keyGenerator', { keyGenerator: 'url' as never }],
    ['onError', { onError: {} as never }],
    ['cacheStatus', { cacheStatus: 'two words' }],
    ['targetedFields', { targetedFields: ['CDN Cache Control'] }],
    ['removeTargetedFields', { removeTargetedFields: 'Momento-Cache-Control' as never }],
    ['nearCache.coherence', { nearCache: { coherence: 'pubsub' as never } }],
    ['nearCache.ttlMs', { nearCache: { ttlMs: 0 } }],
  ])('rejects a bad %s with InvalidArgumentError', (name, options) => {
    expect(() => responseCache({ store, ...options })).toThrow(InvalidArgumentError);
    expect(() => responseCache({ store, ...options })).toThrow(name);
  });

  it('does not change the caller’s options', () => {
    const options = Object.freeze({
      store,
      statuses: Object.freeze([200]),
      nearCache: Object.freeze({ ttlMs: 5 }),
    });
    expect(() => responseCache(options)).not.toThrow();
  });

  it('exposes purge on the middleware', () => {
    expect(typeof responseCache({ store }).purge).toBe('function');
  });
});

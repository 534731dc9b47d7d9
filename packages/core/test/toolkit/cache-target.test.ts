import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { DEFAULT_CACHE_NAME, resolveCacheTarget } from '../../src/toolkit/cache-target';
import { createMemoryStore } from '../../src/toolkit/memory-store';

/** A client that records which caches it was asked for. */
function recordingClient() {
  const asked: string[] = [];
  return {
    asked,
    client: {
      cache: (name: string) => {
        asked.push(name);
        return createMemoryStore(name);
      },
    },
  };
}

const noClient = () => {
  throw new Error('no client should be created');
};

describe('resolveCacheTarget', () => {
  it('uses a given store as it is, under its own name', () => {
    const store = createMemoryStore('sessions');
    expect(resolveCacheTarget({ store }, {}, noClient)).toEqual({ store, cacheName: 'sessions' });
    expect(resolveCacheTarget({ store, cacheName: 'sessions' }, {}, noClient).store).toBe(store);
  });

  it('names the cache: the option, else MOMENTO_CACHE_NAME (empty = unset), else default-cache', () => {
    const { asked, client } = recordingClient();
    const env = { MOMENTO_CACHE_NAME: 'from-env' };
    expect(resolveCacheTarget({ client, cacheName: 'mine' }, env).cacheName).toBe('mine');
    expect(resolveCacheTarget({ client }, env).cacheName).toBe('from-env');
    expect(resolveCacheTarget({ client }, { MOMENTO_CACHE_NAME: '' }).cacheName).toBe(
      DEFAULT_CACHE_NAME,
    );
    expect(resolveCacheTarget({ client }, undefined).cacheName).not.toBe('');
    expect(asked.slice(0, 3)).toEqual(['mine', 'from-env', 'default-cache']);
  });

  it('creates the default client from the environment, passing it the same env', () => {
    let given: unknown;
    const target = resolveCacheTarget(
      {},
      { MOMENTO_API_KEY: 'k', MOMENTO_CACHE_NAME: 'c' },
      (o) => {
        given = o.env;
        return { cache: (name) => createMemoryStore(name) };
      },
    );
    expect(target.cacheName).toBe('c');
    expect(given).toEqual({ MOMENTO_API_KEY: 'k', MOMENTO_CACHE_NAME: 'c' });
  });

  it('without an API key, fails with the client’s InvalidArgumentError', () => {
    expect(() => resolveCacheTarget({}, {})).toThrow(InvalidArgumentError);
    expect(() => resolveCacheTarget({}, {})).toThrow(/MOMENTO_API_KEY/);
  });

  it('refuses bad options with InvalidArgumentError naming the option', () => {
    const store = createMemoryStore('a');
    const { client } = recordingClient();
    const cases: Array<[Parameters<typeof resolveCacheTarget>[0], RegExp]> = [
      [{ store, client }, /store and client/],
      [{ store: { get: () => {} } as never }, /^store must be a CacheStore/],
      [{ client: {} as never }, /^client must be a MomentoClient/],
      [{ client, cacheName: '' }, /^cacheName must be a non-empty string/],
      [{ client, cacheName: ' padded ' }, /^cacheName must not contain/],
      [{ client, cacheName: 42 as never }, /^cacheName/],
      [{ store, cacheName: 'b' }, /cacheName "b" is not the given store's cache \("a"\)/],
    ];
    for (const [options, message] of cases) {
      expect(() => resolveCacheTarget(options, {}, noClient), String(message)).toThrow(
        InvalidArgumentError,
      );
      expect(() => resolveCacheTarget(options, {}, noClient)).toThrow(message);
    }
    expect(() => resolveCacheTarget({ client }, { MOMENTO_CACHE_NAME: 'bad\nname' })).toThrow(
      /^MOMENTO_CACHE_NAME must not contain/,
    );
  });
});

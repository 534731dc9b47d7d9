import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { raceAbort } from './concurrency';
import { concatBytes } from './keys';
import { DEFAULT_MAX_TTL_SECONDS } from './limits';
import { SingleFlight } from './single-flight';

/** Options for {@link withNamespace}. */
export interface NamespaceOptions {
  /**
   * TTL of the generation key. When it expires the namespace starts over with a new generation
   * (its entries become unreachable, as after `clear()`), so keep it at least as long as the
   * longest entry TTL. @default 86400 (Momento's maximum)
   */
  generationTtlSeconds?: number;
  /**
   * How long this process may reuse a generation it read, in ms. `0` reads the generation key
   * on every call (one extra GET per operation; concurrent calls share one read). A positive value
   * saves that GET, but a `clear()` made by another process is only seen after up to this long,
   * so reads may return cleared entries and writes may land in the old generation meanwhile.
   * A `clear()` through this store takes effect here immediately. @default 0
   */
  generationCacheMs?: number;
  /** Clock in epoch ms (injectable for tests). @default Date.now */
  now?: () => number;
}

/** A store whose keys live in one namespace that can be cleared as a whole. */
export interface NamespacedStore extends CacheStore {
  readonly namespace: string;
  /**
   * Makes every entry of the namespace unreachable, in one write: a new random generation.
   * Old entries are not deleted; they take space until their TTL.
   */
  clear(options?: CallOptions): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const GENERATION = /^[0-9a-f]{16}$/;

/**
 * Scopes `store` to a namespace with generation-based `clear()` (the memcached "namespace
 * generation" technique, since Momento's HTTP API cannot list or flush keys).
 *
 * Keys become `<ns>|<gen>|<key>` (byte keys get the same prefix as bytes); the generation lives at
 * `<ns>|__gen__`. `clear()` writes a new random generation. A missing generation (expired or
 * evicted) is replaced by a NEW random one, never a fixed value, so entries from before a clear
 * cannot come back. Two stores over one cache (two processes) see each other's `clear()`.
 * `|` and `%` in the namespace are percent-encoded so namespaces cannot overlap.
 *
 * Caveats: each operation costs one extra GET of the generation unless `generationCacheMs` > 0;
 * a read racing a `clear()` can return the pre-clear value once; when two processes create a
 * missing generation at the same moment, one of them may write an entry that then reads as a miss.
 *
 * @example
 * const sessions = withNamespace(client.cache('default-cache'), 'sessions');
 * await sessions.set('u1', 'data', { ttlSeconds: 600 });
 * await sessions.clear();
 */
export function withNamespace(
  store: CacheStore,
  namespace: string,
  options: NamespaceOptions = {},
): NamespacedStore {
  if (typeof namespace !== 'string') throw new TypeError('namespace must be a string');
  const generationTtlSeconds = options.generationTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  const cacheMs = options.generationCacheMs ?? 0;
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(generationTtlSeconds) || generationTtlSeconds < 1) {
    throw new RangeError(
      `generationTtlSeconds must be a positive integer, got ${generationTtlSeconds}`,
    );
  }
  if (!(cacheMs >= 0)) throw new RangeError(`generationCacheMs must be >= 0, got ${cacheMs}`);

  const ns = namespace.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
  const generationKey = `${ns}|__gen__`;
  const flight = new SingleFlight<string>();
  let cached: { generation: string; until: number } | undefined;
  // Bumped by clear(): a generation read that started before it must not be cached after it.
  let epoch = 0;

  const remember = (generation: string) => {
    if (cacheMs > 0) cached = { generation, until: now() + cacheMs };
    return generation;
  };

  const writeGeneration = async (generation: string, opts?: CallOptions) => {
    await store.set(generationKey, generation, { ...opts, ttlSeconds: generationTtlSeconds });
  };

  const readGeneration = async (opts?: CallOptions): Promise<string> => {
    const stored = await store.get(generationKey, opts);
    const generation = stored === undefined ? undefined : decoder.decode(stored);
    if (generation !== undefined && GENERATION.test(generation)) return generation;
    const created = randomGeneration();
    await writeGeneration(created, opts);
    // Read back: if another process created one at the same time, converge on the stored one.
    const settled = await store.get(generationKey, opts);
    const adopted = settled === undefined ? undefined : decoder.decode(settled);
    return adopted !== undefined && GENERATION.test(adopted) ? adopted : created;
  };

  const generation = async (opts?: CallOptions): Promise<string> => {
    if (cached && cached.until > now()) return cached.generation;
    const startedAt = epoch;
    // Shared by concurrent callers, so it runs without any one caller's signal.
    const shared = flight.run(generationKey, () =>
      readGeneration(opts?.timeoutMs === undefined ? undefined : { timeoutMs: opts.timeoutMs }),
    );
    const gen = await raceAbort(shared, opts?.signal);
    return startedAt === epoch ? remember(gen) : gen;
  };

  const scoped = async (key: CacheKey, opts?: CallOptions): Promise<CacheKey> => {
    opts?.signal?.throwIfAborted();
    const prefix = `${ns}|${await generation(opts)}|`;
    return typeof key === 'string' ? prefix + key : concatBytes([encoder.encode(prefix), key]);
  };

  return {
    cacheName: store.cacheName,
    namespace,
    async get(key: CacheKey, opts?: CallOptions) {
      return store.get(await scoped(key, opts), opts);
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      await store.set(await scoped(key, opts), value, opts);
    },
    async delete(key: CacheKey, opts?: CallOptions) {
      await store.delete(await scoped(key, opts), opts);
    },
    async clear(opts?: CallOptions) {
      const next = randomGeneration();
      epoch++;
      cached = undefined;
      flight.forget(generationKey);
      await writeGeneration(next, opts);
      epoch++;
      flight.forget(generationKey);
      remember(next);
    },
  };
}

function randomGeneration(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

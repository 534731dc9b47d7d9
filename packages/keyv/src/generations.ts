import type { CacheStore, CallOptions } from '@momento-http/core';

const decoder = new TextDecoder();
const GENERATION = /^[0-9a-f]{16}$/;

/**
 * One namespace's generation, kept by the store itself rather than by the core's
 * `withNamespace()`, because the store needs two things that wrapper does not expose: the
 * generation it last saw (to read a value under it while the generation is being confirmed, so a
 * get costs one round trip instead of two) and the time it was confirmed (to bound how long a
 * near-cached value can outlive a `clear()` made by another process).
 *
 * The format on the wire is exactly the core's `withNamespace()`: the generation (16 hex digits)
 * lives under `<ns>|__gen__`, keys are `<ns>|<gen>|<key>`, and `|` and `%` in the namespace are
 * percent-encoded, so both see each other's clears (the tests check it). A missing generation is
 * replaced by a new random one, never a fixed one, so entries from before a clear cannot return.
 */
export class Generations {
  readonly namespace: string;
  readonly #store: CacheStore;
  readonly #key: string;
  readonly #escaped: string;
  readonly #ttlSeconds: number;
  readonly #cacheMs: number;
  /** The generation last seen here (any age), with the key prefix built from it. */
  #known: string | undefined;
  #prefix = '';
  /** When the read that returned `#known` started: it was current then, or later. */
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<string> | undefined;
  /** Bumped by clear(): a read that started before a clear must not overwrite its result. */
  #epoch = 0;

  readonly #timeoutMs: number;

  constructor(
    store: CacheStore,
    namespace: string,
    options: { ttlSeconds: number; cacheMs: number; timeoutMs: number },
  ) {
    this.namespace = namespace;
    this.#store = store;
    this.#escaped = namespace.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
    this.#key = `${this.#escaped}|__gen__`;
    this.#ttlSeconds = options.ttlSeconds;
    this.#cacheMs = options.cacheMs;
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * The key prefix of the generation if it was confirmed within `cacheMs`, else `undefined`. In
   * the last quarter of that time it also starts confirming the generation again in the
   * background, so a busy store never stalls all its calls on the generation read at once. (A
   * failure there is left for the next call in the foreground to meet and report.)
   */
  freshPrefix(now: number): string | undefined {
    const age = now - this.#confirmedAt;
    if (age >= this.#cacheMs) return undefined;
    if (age >= this.#cacheMs * 0.75 && this.#reading === undefined) {
      this.confirm({ timeoutMs: this.#timeoutMs }).catch(() => {});
    }
    return this.#prefix;
  }

  /** The key prefix of the last generation seen here, however old; `undefined` before the first read. */
  knownPrefix(): string | undefined {
    return this.#known === undefined ? undefined : this.#prefix;
  }

  /** When the current generation was last confirmed (epoch ms). */
  get confirmedAt(): number {
    return this.#confirmedAt;
  }

  /**
   * Reads the generation from the cache (creating one if missing) and returns its key prefix.
   * Concurrent callers share one read; it runs with the first caller's `timeoutMs` only.
   */
  confirm(options: CallOptions): Promise<string> {
    this.#reading ??= this.#read({ timeoutMs: options.timeoutMs });
    return this.#reading;
  }

  /** Writes a new random generation: every key of the namespace becomes unreachable at once. */
  async clear(options: CallOptions): Promise<void> {
    const next = randomGeneration();
    this.#epoch++;
    this.#reading = undefined;
    await this.#write(next, options);
    this.#epoch++;
    this.#reading = undefined;
    this.#adopt(next, Date.now());
  }

  async #read(options: CallOptions): Promise<string> {
    const epoch = this.#epoch;
    const startedAt = Date.now();
    try {
      let generation = await this.#get(options);
      if (generation === undefined) {
        const created = randomGeneration();
        await this.#write(created, options);
        // Read back: if another process created one at the same moment, converge on the stored one.
        generation = (await this.#get(options)) ?? created;
      }
      if (epoch === this.#epoch) this.#adopt(generation, startedAt);
      return `${this.#escaped}|${generation}|`;
    } finally {
      if (epoch === this.#epoch) this.#reading = undefined;
    }
  }

  async #get(options: CallOptions): Promise<string | undefined> {
    const bytes = await this.#store.get(this.#key, options);
    const text = bytes === undefined ? undefined : decoder.decode(bytes);
    return text !== undefined && GENERATION.test(text) ? text : undefined;
  }

  #write(generation: string, options: CallOptions): Promise<void> {
    return this.#store.set(this.#key, generation, { ...options, ttlSeconds: this.#ttlSeconds });
  }

  #adopt(generation: string, confirmedAt: number): void {
    if (generation !== this.#known) {
      this.#known = generation;
      this.#prefix = `${this.#escaped}|${generation}|`;
    }
    this.#confirmedAt = Math.max(this.#confirmedAt, confirmedAt);
  }
}

function randomGeneration(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

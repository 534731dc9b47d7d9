import { InvalidArgumentError } from '../client/errors';
import type { CacheKey, CacheStore, CallOptions } from '../contract';
import { raceAbort } from './concurrency';
import { concatBytes } from './keys';
import { DEFAULT_MAX_TTL_SECONDS } from './limits';
import { checkAtLeast, checkWholeNumber, show } from './option-checks';

/** Options for {@link NamespaceGeneration}. */
export interface NamespaceGenerationOptions {
  /**
   * TTL of the generation key, in seconds. Keep it at least as long as the longest entry TTL:
   * when it expires the namespace starts over (as after a `clear()`). @default 86400
   */
  ttlSeconds?: number;
  /**
   * How long a confirmed generation is trusted without reading it again, in ms. `0` confirms it
   * on every call. A `clear()` by another process is seen after at most this long. @default 0
   */
  cacheMs?: number;
  /**
   * A further bound on `cacheMs`, asked at each use: a coherence layer answers a short one while
   * its channel is down (a clear elsewhere is then only seen by re-reading). @default none
   */
  cacheCap?: (() => number) | undefined;
  /** Timeout of the background re-confirmation {@link NamespaceGeneration.freshPrefix} starts. @default 5000 */
  timeoutMs?: number;
  /**
   * Where an unreadable or malformed generation is reported (a `NamespaceGenerationError`); the
   * calls that needed it read as a miss. @default ignored
   */
  onError?: (error: unknown) => void;
  /** Clock in epoch ms (injectable for tests). @default Date.now */
  now?: () => number;
}

/** A generation key held something that is not a generation: reported, never overwritten. */
export class NamespaceGenerationError extends Error {
  override name = 'NamespaceGenerationError';
  readonly namespace: string;
  constructor(namespace: string, message: string) {
    super(message);
    this.namespace = namespace;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const GENERATION = /^[0-9a-f]{16}$/;

type Read = { kind: 'found'; generation: string } | { kind: 'missing' } | { kind: 'malformed' };

/**
 * The namespace-generation protocol (the memcached "namespace generation" technique: the HTTP API
 * cannot list or flush keys), one implementation for every adapter and for `withNamespace`.
 *
 * Wire format (shared by every process and adapter): the generation is 16 lowercase hex digits
 * at `<ns>|__gen__`; keys are `<ns>|<gen>|<key>`; `|` and `%` in the namespace are percent-encoded
 * (`%7C`, `%25`) so namespaces cannot overlap.
 *
 * - **Only `clear()` replaces a generation.** A generation key holding anything else (garbage, a
 *   truncated body, bytes that are not UTF-8) is reported through `onError` and the calls that
 *   needed it read as a miss; nothing is written, so one bad answer can never wipe the namespace
 *   for every process. The one other write is the first one: when the key is absent (never
 *   written, expired, evicted: a clean miss), a new random generation is created and read back,
 *   so two processes starting together converge. Never a fixed generation, so entries from before
 *   a clear cannot come back.
 * - **Known and confirmed.** {@link knownPrefix} is the last generation seen (any age): a caller
 *   may read under it while confirming it in parallel ({@link run}), one round trip instead of two.
 *   {@link freshPrefix} is the generation confirmed within `cacheMs`, or nothing.
 * - **Read-your-writes for clear.** `clear()` switches this process to the new generation before
 *   its write goes out; if the write fails, the generation is read again on the next call.
 *
 * @example
 * const gen = new NamespaceGeneration(store, 'sessions', { onError: report });
 * const prefix = await gen.confirm(); // 'sessions|3f9a…|', or undefined (malformed: a miss)
 */
export class NamespaceGeneration {
  readonly namespace: string;
  /** The key the generation lives at: `<ns>|__gen__`. */
  readonly generationKey: string;
  readonly #store: CacheStore;
  readonly #escaped: string;
  readonly #ttlSeconds: number;
  readonly #cacheMs: number;
  readonly #cacheCap: (() => number) | undefined;
  readonly #timeoutMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  #known: string | undefined;
  #prefix = '';
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<string | undefined> | undefined;
  /** Bumped by clear(): a read that started before a clear must not overwrite its result. */
  #epoch = 0;

  /** @throws InvalidArgumentError for a namespace that is not a string or bad options. */
  constructor(store: CacheStore, namespace: string, options: NamespaceGenerationOptions = {}) {
    if (typeof namespace !== 'string') {
      throw new InvalidArgumentError(`namespace must be a string, got ${show(namespace)}`);
    }
    const ttlSeconds = checkWholeNumber(
      'ttlSeconds',
      options.ttlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
      1,
      'seconds',
    );
    const cacheMs = checkAtLeast('cacheMs', options.cacheMs ?? 0);
    this.namespace = namespace;
    this.#store = store;
    this.#escaped = namespace.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
    this.generationKey = `${this.#escaped}|__gen__`;
    this.#ttlSeconds = ttlSeconds;
    this.#cacheMs = cacheMs;
    this.#cacheCap = options.cacheCap;
    this.#timeoutMs = checkAtLeast('timeoutMs', options.timeoutMs ?? 5000, 1);
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  /** The generation last seen here (any age), or `undefined` before the first read. */
  get known(): string | undefined {
    return this.#known;
  }

  /** When the known generation was last confirmed current (epoch ms; -Infinity: never). */
  get confirmedAt(): number {
    return this.#confirmedAt;
  }

  /** The key prefix (`<ns>|<gen>|`) of the last generation seen, however old; `undefined` before the first read. */
  knownPrefix(): string | undefined {
    return this.#known === undefined ? undefined : this.#prefix;
  }

  /**
   * The key prefix if the generation was confirmed within `cacheMs`, else `undefined`. In the
   * last quarter of that time it also starts confirming again in the background, so a busy
   * process never stalls all its calls on the generation read at once.
   */
  freshPrefix(now: number = this.#now()): string | undefined {
    const age = now - this.#confirmedAt;
    const cacheMs = this.#cacheCap ? Math.min(this.#cacheMs, this.#cacheCap()) : this.#cacheMs;
    if (!(age < cacheMs)) return undefined;
    if (age >= cacheMs * 0.75 && this.#reading === undefined) {
      // A failure is left for the next call in the foreground to meet and report.
      this.confirm({ timeoutMs: this.#timeoutMs }).catch(() => {});
    }
    return this.#prefix;
  }

  /**
   * Reads the generation and returns its key prefix; `undefined` when the key holds no valid
   * generation (reported through `onError`). Concurrent callers share one read, which runs with
   * the first caller's `timeoutMs` and no signal. Rejects when the store read fails.
   */
  confirm(options: CallOptions = {}): Promise<string | undefined> {
    return this.#reading ?? this.#share(this.#read({ timeoutMs: options.timeoutMs }));
  }

  /** Makes `reading` the one concurrent confirmations share, until it settles. */
  #share(reading: Promise<string | undefined>): Promise<string | undefined> {
    this.#reading = reading;
    const done = () => {
      if (this.#reading === reading) this.#reading = undefined;
    };
    reading.then(done, done);
    return reading;
  }

  /**
   * Runs `fn` under the current generation's prefix, in the fewest round trips:
   * a fresh generation is used as is; a known one runs `fn` while it is confirmed in parallel
   * (and again under the new one if it changed: the first attempt touched keys already
   * unreachable); with none known, confirms first. When no valid generation can be read, returns
   * `whenUnknown()` (a miss for a read; a caller's choice for a write).
   */
  async run<T>(
    options: CallOptions,
    fn: (prefix: string) => Promise<T>,
    whenUnknown: () => T | Promise<T>,
  ): Promise<T> {
    const fresh = this.freshPrefix();
    if (fresh !== undefined) return fn(fresh);
    options.signal?.throwIfAborted();
    const known = this.knownPrefix();
    // The confirmation is shared by concurrent callers, so it runs without any one caller's signal.
    const confirming = () => raceAbort(this.confirm(options), options.signal);
    if (known === undefined) {
      const prefix = await confirming();
      return prefix === undefined ? whenUnknown() : fn(prefix);
    }
    const attempt = fn(known).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const confirmed = await confirming();
    if (confirmed === undefined) return whenUnknown();
    if (confirmed !== known) return fn(confirmed);
    const result = await attempt;
    if (result.ok) return result.value;
    throw result.error;
  }

  /**
   * Stops trusting the confirmed generation: the next call confirms it again (in parallel with
   * its work, under the known one). For a caller told that another process cleared the namespace
   * (a coherence message), so it does not wait out `cacheMs`.
   */
  invalidate(): void {
    this.#confirmedAt = Number.NEGATIVE_INFINITY;
  }

  /** `key` under `prefix` (string keys as strings, byte keys as bytes). */
  scopedKey(prefix: string, key: CacheKey): CacheKey {
    return typeof key === 'string' ? prefix + key : concatBytes([encoder.encode(prefix), key]);
  }

  /**
   * Writes a new random generation: every key of the namespace becomes unreachable at once, for
   * every process. This process moves to it before the write goes out. Rejects when the write
   * fails (then the generation is read again on the next call).
   */
  async clear(options: CallOptions = {}): Promise<void> {
    const next = randomGeneration();
    this.#epoch++;
    this.#adopt(next, this.#now());
    const written = this.#write(next, options);
    // Until the write lands, confirming must not read the store (it still holds the old
    // generation): it answers with the new one, or reads afresh if the write failed.
    const prefix = this.#prefix;
    const epoch = this.#epoch;
    this.#share(
      written.then(
        () => prefix,
        () => {
          if (this.#epoch === epoch) this.#confirmedAt = Number.NEGATIVE_INFINITY;
          return this.#read({ timeoutMs: options.timeoutMs });
        },
      ),
    );
    try {
      await written;
    } finally {
      if (this.#epoch === epoch) this.#epoch++;
    }
  }

  async #read(options: CallOptions): Promise<string | undefined> {
    const epoch = this.#epoch;
    const startedAt = this.#now();
    let read = await this.#get(options);
    let creating = false;
    if (read.kind === 'missing') {
      creating = true;
      const created = randomGeneration();
      await this.#write(created, options);
      // Read back: if another process created one at the same moment, converge on the stored one.
      const settled = await this.#get(options);
      read = settled.kind === 'missing' ? { kind: 'found', generation: created } : settled;
    }
    if (read.kind === 'malformed') {
      this.#onError(
        new NamespaceGenerationError(
          this.namespace,
          `the generation key of namespace "${this.namespace}" holds no valid generation: read as a miss, left unchanged (only clear() replaces it)`,
        ),
      );
      return undefined;
    }
    if (epoch !== this.#epoch) return this.knownPrefix(); // a clear() here since: it wins
    // A generation created just now is not trusted from memory: another process may have created
    // its own at the same moment and its write may land after our read-back. The next operation
    // confirms it again (in parallel with its own call), so both converge on the stored one.
    this.#adopt(read.generation, creating ? Number.NEGATIVE_INFINITY : startedAt);
    return this.#prefix;
  }

  async #get(options: CallOptions): Promise<Read> {
    const bytes = await this.#store.get(this.generationKey, options);
    if (bytes === undefined) return { kind: 'missing' };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { kind: 'malformed' };
    }
    return GENERATION.test(text) ? { kind: 'found', generation: text } : { kind: 'malformed' };
  }

  #write(generation: string, options: CallOptions): Promise<void> {
    return this.#store.set(this.generationKey, generation, {
      ...options,
      ttlSeconds: this.#ttlSeconds,
    });
  }

  #adopt(generation: string, confirmedAt: number): void {
    if (generation !== this.#known) {
      this.#known = generation;
      this.#prefix = `${this.#escaped}|${generation}|`;
      this.#confirmedAt = confirmedAt;
    } else {
      this.#confirmedAt = Math.max(this.#confirmedAt, confirmedAt);
    }
  }
}

function randomGeneration(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A pass-through CacheStore that records every call and can slow down or fail chosen ones. */
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '@momento-http/core';

export type StoreMethod = 'get' | 'set' | 'delete';

/** One `set` as it reached the recording store. */
export interface RecordedSet {
  /** The key as text (byte keys decoded as UTF-8, so invalid bytes show as U+FFFD). */
  key: string;
  /** The value as bytes (strings UTF-8 encoded). */
  value: Uint8Array;
  ttlSeconds: number | undefined;
}

/**
 * What to do to matching calls. Rules are matched when a call starts; the first matching rule
 * decides. `at: 'request'` (default) acts before the call reaches the inner store, so a delayed
 * `set` lands late; `at: 'response'` lets the inner store answer first and then holds or fails
 * the answer, so a delayed `get` returns the value as it was when the call started.
 */
export interface CallRule {
  method?: StoreMethod;
  /** Exact key text, a pattern, or a predicate on the key text. @default every key */
  key?: string | RegExp | ((key: string) => boolean);
  /** Affect only this many calls, then retire. @default unlimited */
  count?: number;
  at?: 'request' | 'response';
  delayMs?: number;
  /** Wait until this settles (a gate the test opens). */
  until?: Promise<unknown>;
  /** Reject with this error (after any delay or gate). */
  fail?: unknown;
  /** Never settle. */
  hang?: boolean;
}

interface LiveRule extends CallRule {
  remaining: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const keyText = (key: CacheKey) => (typeof key === 'string' ? key : decoder.decode(key));

export class RecordingStore implements CacheStore {
  /** Keys of the `get` calls, in call order. */
  readonly gets: string[] = [];
  readonly sets: RecordedSet[] = [];
  /** Keys of the `delete` calls, in call order. */
  readonly deletes: string[] = [];
  /** Most calls in flight at once. */
  maxInFlight = 0;
  #inFlight = new Set<Promise<unknown>>();
  #rules: LiveRule[] = [];
  readonly #inner: CacheStore;

  constructor(inner: CacheStore) {
    this.#inner = inner;
  }

  get cacheName(): string {
    return this.#inner.cacheName;
  }

  /** Calls that have not settled yet. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get(key: CacheKey, options?: CallOptions): Promise<Uint8Array | undefined> {
    this.gets.push(keyText(key));
    return this.#call('get', key, () => this.#inner.get(key, options));
  }

  set(key: CacheKey, value: CacheValue, options?: SetOptions): Promise<void> {
    const bytes = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
    this.sets.push({ key: keyText(key), value: bytes, ttlSeconds: options?.ttlSeconds });
    return this.#call('set', key, () => this.#inner.set(key, value, options));
  }

  delete(key: CacheKey, options?: CallOptions): Promise<void> {
    this.deletes.push(keyText(key));
    return this.#call('delete', key, () => this.#inner.delete(key, options));
  }

  /** Adds a rule; the returned function removes it (calls it already matched are not released). */
  rule(rule: CallRule): () => void {
    const live: LiveRule = { ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY };
    this.#rules.push(live);
    return () => {
      this.#rules = this.#rules.filter((r) => r !== live);
    };
  }

  clearRules(): void {
    this.#rules = [];
  }

  /** Empties the record (rules stay). */
  forget(): void {
    this.gets.length = 0;
    this.sets.length = 0;
    this.deletes.length = 0;
    this.maxInFlight = this.#inFlight.size;
  }

  /**
   * Resolves once no call is in flight across a macrotask: writes made fire-and-forget (and
   * writes they chain, like a manifest after its chunks) have settled, whatever their outcome.
   */
  async idle(): Promise<void> {
    do {
      while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    } while (this.#inFlight.size);
  }

  #call<T>(method: StoreMethod, key: CacheKey, run: () => Promise<T>): Promise<T> {
    const rule = this.#match(method, keyText(key));
    const call = (async () => {
      if (rule?.at !== 'response') await act(rule);
      const result = await run();
      if (rule?.at === 'response') await act(rule);
      return result;
    })();
    this.#inFlight.add(call);
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight.size);
    const done = () => this.#inFlight.delete(call);
    call.then(done, done);
    return call;
  }

  #match(method: StoreMethod, key: string): LiveRule | undefined {
    const rule = this.#rules.find(
      (r) => r.remaining > 0 && (r.method ?? method) === method && keyMatches(r.key, key),
    );
    if (rule && --rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule;
  }
}

function keyMatches(pattern: CallRule['key'], key: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return pattern === key;
  if (pattern instanceof RegExp) return pattern.test(key);
  return pattern(key);
}

async function act(rule: CallRule | undefined): Promise<void> {
  if (!rule) return;
  if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
  if (rule.until) await rule.until.catch(() => {});
  if (rule.hang) await new Promise(() => {});
  if (rule.fail !== undefined) throw rule.fail;
}

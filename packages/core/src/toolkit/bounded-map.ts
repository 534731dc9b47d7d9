import { InvalidArgumentError } from '../client/errors';

/** Options for {@link BoundedMap}. */
export interface BoundedMapOptions<K, V> {
  /**
   * Which entry goes when the map is full: the one written longest ago (`'write'`: `set` moves an
   * entry to the young end), or the least recently used (`'use'`: `get` moves it too).
   * @default 'write'
   */
  evict?: 'write' | 'use';
  /** Called with each entry evicted to make room (not for `delete` or `clear`). */
  onEvict?: (key: K, value: V) => void;
}

/**
 * A `Map` that holds at most `capacity` entries: adding one more evicts a single entry (the one
 * written longest ago, or the least recently used), never the whole map. Memos that used to
 * "clear when full" forgot every hot entry at once, so the next burst of requests all missed
 * together.
 *
 * A JS `Map` iterates in insertion order, so keeping the young end young (delete, then re-insert)
 * makes the first key the one to evict: every operation stays O(1).
 *
 * @example
 * const knownTags = new BoundedMap<string, string[]>(10_000);
 * knownTags.set(key, ['products']);
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number;
  readonly #byUse: boolean;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  /** @throws InvalidArgumentError when `capacity` is not a whole number of at least 1, or `evict` is unknown. */
  constructor(capacity: number, options: BoundedMapOptions<K, V> = {}) {
    super();
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new InvalidArgumentError(
        `capacity must be a whole number of at least 1, got ${capacity}`,
      );
    }
    const evict = options.evict ?? 'write';
    if (evict !== 'write' && evict !== 'use') {
      throw new InvalidArgumentError(`evict must be 'write' or 'use', got ${String(evict)}`);
    }
    this.capacity = capacity;
    this.#byUse = evict === 'use';
    this.#onEvict = options.onEvict;
  }

  override get(key: K): V | undefined {
    if (!this.#byUse || !super.has(key)) return super.get(key);
    const value = super.get(key) as V;
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: K, value: V): this {
    if (!super.delete(key) && this.size >= this.capacity) {
      const oldest = super.entries().next();
      if (!oldest.done) {
        const [oldKey, oldValue] = oldest.value;
        super.delete(oldKey);
        this.#onEvict?.(oldKey, oldValue);
      }
    }
    return super.set(key, value);
  }
}

import type Keyv from 'keyv';
import { KeyvMomento } from './keyv-momento';

/** Options of {@link setWithTags}. */
export interface SetWithTagsOptions {
  /** TTL in ms. @default the Keyv instance's `ttl` */
  ttl?: number | undefined;
  /** The value becomes a miss once one of these is purged. */
  tags: readonly string[];
}

/**
 * `keyv.set(key, value, ttl)` with tags, for a Keyv 5 instance over a {@link KeyvMomento} (what
 * `createKeyv()` returns, and what cache-manager holds in `cache.stores[0]`): Keyv's `set` has
 * no place for tags, so this serializes the value as Keyv does and writes it through the store's
 * `setWithTags`. `keyv.get(key)` reads it back as usual, and misses once a tag is purged.
 *
 * @example
 * const keyv = createKeyv();
 * await setWithTags(keyv, 'product:1', product, { ttl: 60_000, tags: ['product:1'] });
 * await (keyv.store as KeyvMomento).invalidateTags(['product:1']);
 */
export async function setWithTags(
  // biome-ignore lint/suspicious/noExplicitAny: any Keyv, whatever its value type
  keyv: Keyv<any>,
  key: string,
  value: unknown,
  options: SetWithTagsOptions,
): Promise<boolean> {
  const store = keyv.store as unknown;
  if (!(store instanceof KeyvMomento)) {
    throw new TypeError('setWithTags needs a Keyv instance whose store is a KeyvMomento');
  }
  if (keyv.useKeyPrefix !== false) {
    // The store cannot know the prefix Keyv would add: the entry would be written elsewhere.
    throw new TypeError(
      'setWithTags needs a Keyv created with useKeyPrefix: false (createKeyv() does this)',
    );
  }
  let ttl = options.ttl ?? keyv.ttl;
  if (ttl === 0) ttl = undefined; // Keyv's "no expiry"
  const expires = typeof ttl === 'number' ? Date.now() + ttl : undefined;
  const serialized = (await keyv.serializeData({ value, expires })) as string;
  return store.setWithTags(key, serialized, { ttl, tags: options.tags });
}

import Keyv, { type KeyvOptions } from 'keyv';
import { linkKeyv } from './error-route';
import { KeyvMomento } from './keyv-momento';
import type { KeyvMomentoOptions } from './options';

/** Options of {@link createKeyv}: the store's options plus Keyv's own. */
export interface CreateKeyvOptions extends KeyvMomentoOptions {
  /** Keyv's default TTL in ms for `set` calls that give none. @default undefined (the store's `defaultTtlMs` applies) */
  ttl?: number;
  /** Further Keyv options (serialization, compression, stats…). `store`, `namespace` and `useKeyPrefix` are set here. */
  keyv?: Omit<KeyvOptions, 'store' | 'namespace' | 'useKeyPrefix' | 'ttl'>;
}

/**
 * A ready Keyv instance on a {@link KeyvMomento} store; `T` is the type of the values (as in
 * `new Keyv<T>()`). Keyv's own key prefixing is turned off (the store namespaces keys itself, so
 * there is no `keyv::keyv:` double prefix).
 *
 * @example
 * const users = createKeyv<User>({ namespace: 'users' }); // MOMENTO_API_KEY, MOMENTO_ENDPOINT, MOMENTO_CACHE_NAME
 * await users.set('user:1', { name: 'Ada' }, 60_000);
 */
// biome-ignore lint/suspicious/noExplicitAny: Keyv's own default value type, so createKeyv() is a plain Keyv
export function createKeyv<T = any>(options: CreateKeyvOptions = {}): Keyv<T> {
  const { ttl, keyv: keyvOptions, ...storeOptions } = options;
  const store = new KeyvMomento(storeOptions);
  const keyv = new Keyv<T>(store, {
    ...keyvOptions,
    // Keyv 5 falls back to its own default namespace ('keyv') only when the key is absent.
    ...(storeOptions.namespace === undefined ? {} : { namespace: storeOptions.namespace }),
    ...(ttl === undefined ? {} : { ttl }),
    ...(storeOptions.throwOnErrors === undefined
      ? {}
      : { throwOnErrors: storeOptions.throwOnErrors }),
    useKeyPrefix: false,
  });
  // Keyv 5's forwarder does not say whether its Keyv has listeners: let the store look.
  linkKeyv(store, keyv);
  return withRawGet(keyv);
}

/**
 * cache-manager 7 reads entries with `get(key, { raw: true })` to learn their expiry (for `wrap`
 * and `ttl()`). Keyv 5 supports that option; Keyv 6 dropped it for `getRaw(key)` and returns the
 * bare value, so cache-manager saw no entry: `wrap` ran its function every time and `ttl()` was
 * `undefined`. Both versions have `getRaw`, so the option is mapped onto it here.
 */
function withRawGet<T>(keyv: Keyv<T>): Keyv<T> {
  const get = keyv.get.bind(keyv) as (key: unknown, options?: { raw?: boolean }) => unknown;
  const getRaw = keyv.getRaw.bind(keyv);
  keyv.get = ((key: unknown, options?: { raw?: boolean }) =>
    options?.raw === true && typeof key === 'string'
      ? getRaw(key)
      : get(key, options)) as typeof keyv.get;
  return keyv;
}

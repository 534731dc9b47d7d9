/**
 * Momento's hard limits, defined once. Every package (core toolkit, memory store, adapters)
 * takes its defaults from here, so a limit changes in one place.
 */

/**
 * Momento's on-demand maximum TTL: 24 h, in seconds. Provisioned caches allow more, which is why
 * every package takes it as the default of a `maxTtlSeconds` option rather than a fixed cap.
 */
export const DEFAULT_MAX_TTL_SECONDS = 86_400;

/**
 * Momento's item limit, key bytes + value bytes: "5 MB". The documents do not say whether that is
 * 5,000,000 or 5 MiB (5,242,880), so the toolkit uses the smaller reading: a writer that chunks
 * under 5,000,000 fits either way, and the memory store enforcing 5,000,000 catches, in tests,
 * any write that Momento could refuse under the stricter reading.
 */
export const DEFAULT_MAX_ITEM_BYTES = 5_000_000;

/**
 * The longest key the local server and the memory store accept, in bytes. Momento documents no
 * key limit; the store-key function hashes long keys well below this (see `storeKey`).
 */
export const MAX_KEY_BYTES = 4096;

/**
 * `@momento-http/core/testing`: the `CacheStore` conformance suite, for the adapters' tests and
 * for anyone writing a store. A separate entry so the default one never loads test code.
 */
export type { StoreConformanceOptions } from './testing/store-conformance';
export { cacheStoreConformance } from './testing/store-conformance';
export type { ConformanceTestApi } from './testing/test-api';

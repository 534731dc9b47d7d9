export type { CreateKeyvOptions } from './create-keyv';
export { createKeyv } from './create-keyv';
export type { KeyvMomentoEntry, KeyvMomentoSettings } from './keyv-momento';
export { KeyvMomento } from './keyv-momento';
export type { SetWithTagsOptions } from './keyv-tags';
export { setWithTags } from './keyv-tags';
export type { KeyvMomentoOptions, KeyvNearCacheOptions } from './options';
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_NAMESPACE,
  DEFAULT_TIMEOUT_MS,
} from './options';
export { CorruptRecordError } from './record';

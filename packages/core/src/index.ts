// HTTP client
export type { AbortLike } from './client/abort';
export { createClient, MomentoClient } from './client/client';
export type {
  Cluster,
  ClusterConfig,
  ClusterStatus,
  ClusterSummary,
  CreateClusterRequest,
  ReplicaCountRequest,
  ShardPlacement,
  UpdateReplicationGroupRequest,
  UpdateShardConfigurationRequest,
} from './client/cluster-types';
export type { ClusterApi } from './client/clusters';
export { Clusters } from './client/clusters';
export type { ApiKeyFormat } from './client/credentials';
export { baseUrlFor, parseApiKey } from './client/credentials';
export type { MomentoErrorCode, MomentoErrorDetails } from './client/errors';
export {
  AuthenticationError,
  BadRequestError,
  CacheNotFoundError,
  ConnectionError,
  InvalidArgumentError,
  ItemTooLargeError,
  LimitExceededError,
  MomentoError,
  NotFoundError,
  PermissionError,
  ServerError,
  StoreNotFoundError,
  TimeoutError,
} from './client/errors';
export type { ClientHooks, ErrorEvent, RequestEvent, ResponseEvent } from './client/hooks';
export type { GetObjectOptions, PutObjectOptions, StoredObject } from './client/object-store';
export { BLOCKED_METADATA_NAMES, ObjectStore, ObjectStores } from './client/object-store';
export type {
  CloudWatchLoggingConfig,
  CloudWatchMetricsConfig,
  CreateOrUpdateResult,
  ObjectStoreConfig,
  ObjectStoreDescription,
  ObjectStoreLimits,
  ObjectStoreSummary,
  S3StorageConfig,
} from './client/object-store-types';
export type { ClientOptions } from './client/options';
export {
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TTL_SECONDS,
} from './client/options';
export type {
  FetchLike,
  ResponseHeaders,
  Transport,
  TransportRequest,
  TransportResponse,
} from './client/transport';
export { fetchTransport } from './client/transport';
export type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from './contract';

// caching toolkit
export type { ChunkingOptions } from './toolkit/chunking';
export { withChunking } from './toolkit/chunking';
export { mapConcurrent } from './toolkit/concurrency';
export type { DecodeEnvelopeOptions, EncodeEnvelopeOptions } from './toolkit/envelope';
export { DEFAULT_MAX_DECODED_BYTES, decodeEnvelope, encodeEnvelope } from './toolkit/envelope';
export type { ChunkingErrorCode, EnvelopeErrorCode } from './toolkit/errors';
export { ChunkingError, EnvelopeError } from './toolkit/errors';
export type { MemoryStore, MemoryStoreOptions } from './toolkit/memory-store';
export { createMemoryStore } from './toolkit/memory-store';
export type { NamespacedStore, NamespaceOptions } from './toolkit/namespace';
export { withNamespace } from './toolkit/namespace';
export type { NearCacheOptions } from './toolkit/near-cache';
export {
  DEFAULT_NEAR_CACHE_MAX_BYTES,
  DEFAULT_NEAR_CACHE_TTL_MS,
  NearCache,
} from './toolkit/near-cache';
export { SingleFlight } from './toolkit/single-flight';
export type { TagState, TagStoreOptions } from './toolkit/tags';
export { isExpiredByTags, isStaleByTags, TagStore } from './toolkit/tags';
export type { TtlPolicy } from './toolkit/ttl';
export { DEFAULT_MAX_TTL_SECONDS, normalizeTtlPolicy, toTtlSeconds } from './toolkit/ttl';
export type { NearCachedStore } from './toolkit/with-near-cache';
export { withNearCache } from './toolkit/with-near-cache';
export { withSingleFlight } from './toolkit/with-single-flight';

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
export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, DEFAULT_TTL_SECONDS } from './client/options';
export type {
  PublishOptions,
  SubscribeOptions,
  TopicDiscontinuity,
  TopicEvent,
  TopicItem,
  TopicPosition,
} from './client/topic-types';
export { MalformedTopicAnswerError } from './client/topic-wire';
export { DEFAULT_POLL_TIMEOUT_MS, Topics } from './client/topics';
export type {
  FetchLike,
  ResponseHeaders,
  Transport,
  TransportRequest,
  TransportResponse,
} from './client/transport';
export { fetchTransport } from './client/transport';
export type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from './contract';
export type { PurgeTarget } from './purge/purge-tags';
export {
  checkPurgeTags,
  DEFAULT_PURGE_TIMEOUT_MS,
  MAX_PURGE_TAG_LENGTH,
  MAX_PURGE_TAGS,
  purgeTags,
} from './purge/purge-tags';
// caching toolkit
export type { BackgroundRefreshOptions } from './toolkit/background-refresh';
export { BackgroundRefresh } from './toolkit/background-refresh';
export type { BoundedMapOptions } from './toolkit/bounded-map';
export { BoundedMap } from './toolkit/bounded-map';
export type { CacheStatsSnapshot, ReadOutcome } from './toolkit/cache-stats';
export { CacheStats } from './toolkit/cache-stats';
export type { CacheStatus } from './toolkit/cache-status';
export {
  appendCacheStatus,
  formatCacheStatus,
  isCacheStatusName,
} from './toolkit/cache-status';
export type { CacheTarget, CacheTargetOptions } from './toolkit/cache-target';
export { DEFAULT_CACHE_NAME, resolveCacheTarget } from './toolkit/cache-target';
export type { ChunkingOptions } from './toolkit/chunking';
export { withChunking } from './toolkit/chunking';
export type { CircuitBreakerOptions } from './toolkit/circuit-breaker';
export { CircuitBreaker, isOutage } from './toolkit/circuit-breaker';
export { mapConcurrent } from './toolkit/concurrency';
export { crc32c } from './toolkit/crc32c';
export type { DeadlineOptions } from './toolkit/deadline';
export { Deadline } from './toolkit/deadline';
export { estimateDecodedBytes } from './toolkit/decoded-size';
export type { EntryCacheOptions, EntryRead, EntrySource } from './toolkit/entry-cache';
export { EntryCache } from './toolkit/entry-cache';
export type { DecodeEnvelopeOptions, EncodeEnvelopeOptions } from './toolkit/envelope';
export { DEFAULT_MAX_DECODED_BYTES, decodeEnvelope, encodeEnvelope } from './toolkit/envelope';
export type { ChunkingErrorCode, EnvelopeErrorCode } from './toolkit/errors';
export { ChunkingError, EnvelopeError } from './toolkit/errors';
export type { FailureDiagnosis } from './toolkit/failure-diagnosis';
export { diagnoseFailure } from './toolkit/failure-diagnosis';
export type {
  AdapterName,
  FailureHandler,
  FailureReporterOptions,
} from './toolkit/failure-report';
export { createFailureReporter, formatFailure } from './toolkit/failure-report';
export type { FencedNearCacheOptions, NearEntryLife } from './toolkit/fenced-near-cache';
export { FencedNearCache } from './toolkit/fenced-near-cache';
export type { FillFollower, FillLeader } from './toolkit/fill-flights';
export { FillFlights } from './toolkit/fill-flights';
export type {
  CoherenceChange,
  CoherenceLink,
  CoherenceState,
  CoherenceTarget,
  InvalidationBusOptions,
  TopicsApi,
} from './toolkit/invalidation-bus';
export { InvalidationBus } from './toolkit/invalidation-bus';
export { sharedInvalidationBus } from './toolkit/invalidation-buses';
export type { Invalidation } from './toolkit/invalidation-message';
export {
  decodeInvalidation,
  encodeInvalidations,
  INVALIDATION_FORMAT_VERSION,
  MalformedInvalidationError,
} from './toolkit/invalidation-message';
export {
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  MAX_KEY_BYTES,
} from './toolkit/limits';
export type { MemoryStore, MemoryStoreOptions } from './toolkit/memory-store';
export { createMemoryStore } from './toolkit/memory-store';
export type { NamespacedStore, NamespaceOptions } from './toolkit/namespace';
export { withNamespace } from './toolkit/namespace';
export type { NamespaceGenerationOptions } from './toolkit/namespace-generation';
export {
  NamespaceGeneration,
  NamespaceGenerationError,
} from './toolkit/namespace-generation';
export type { NearCacheOptions } from './toolkit/near-cache';
export {
  DEFAULT_NEAR_CACHE_MAX_BYTES,
  DEFAULT_NEAR_CACHE_TTL_MS,
  NearCache,
} from './toolkit/near-cache';
export type {
  JoinNearCoherenceOptions,
  NearCacheLike,
  NearCoherence,
  NearCoherenceSettings,
} from './toolkit/near-coherence';
export {
  CoherenceUnavailableError,
  coherenceTopicName,
  DEFAULT_COHERENT_NEAR_TTL_MS,
  joinNearCoherence,
  nearCacheTarget,
  resolveNearCoherence,
  topicsOf,
} from './toolkit/near-coherence';
export { readBounded } from './toolkit/read-bounded';
export { sha256, toHex } from './toolkit/sha256';
export { sharedAbortController } from './toolkit/shared-abort';
export { SingleFlight } from './toolkit/single-flight';
export type { CacheControlDirectives, StaleUse, StaleWindows } from './toolkit/stale-serving';
export {
  forbidsStale,
  NO_STALE_WINDOWS,
  parseCacheControl,
  servesOnError,
  staleKeepMs,
  staleUse,
  staleWindows,
} from './toolkit/stale-serving';
export { isHashedStoreKey, MAX_PLAIN_KEY_BYTES, storeKey } from './toolkit/store-key';
export {
  checkTagNamespace,
  DEFAULT_TAG_KEY_PREFIX,
  MAX_TAG_NAMESPACE_LENGTH,
  tagKeyPrefix,
} from './toolkit/tag-namespace';
export type { TagStatesOptions } from './toolkit/tag-states';
export { NEVER_INVALIDATED, TagStates } from './toolkit/tag-states';
export type { TagVerdict } from './toolkit/tag-verdict';
export { tagVerdict } from './toolkit/tag-verdict';
export type {
  ReadBound,
  TaggedEntryReaderOptions,
  TaggedRead,
  TaggedReadOptions,
} from './toolkit/tagged-entry-reader';
export { READ_FAILED, TaggedEntryReader } from './toolkit/tagged-entry-reader';
export type { TagState, TagStoreOptions } from './toolkit/tags';
export { isExpiredByTags, isStaleByTags, TagStateError, TagStore } from './toolkit/tags';
export type { OpenTelemetryApi } from './toolkit/telemetry';
export { TELEMETRY_ATTRIBUTES, useOpenTelemetry } from './toolkit/telemetry';
export type { TtlPolicy } from './toolkit/ttl';
export { normalizeTtlPolicy, toTtlSeconds } from './toolkit/ttl';
export type { NearCachedStore } from './toolkit/with-near-cache';
export { withNearCache } from './toolkit/with-near-cache';
export { withSingleFlight } from './toolkit/with-single-flight';
export { withStats } from './toolkit/with-stats';
export { withWriteOrder } from './toolkit/with-write-order';
export { WriteFence } from './toolkit/write-fence';
export type { PendingWrite } from './toolkit/write-ledger';
export { WriteLedger } from './toolkit/write-ledger';
export { WriteQueue } from './toolkit/write-queue';

/**
 * `@momento-http/test-kit`: the private helpers every package's tests share (never published).
 * One local-server fixture, one poller, one recording store, one fault proxy, one Redis helper.
 */
export { type Completion, completion } from './completion';
export { type EventuallyOptions, eventually } from './eventually';
export { type FailureCause, failureCauses } from './failure-causes';
export { type ActiveRule, type FaultProxy, startFaultProxy, useFaultProxy } from './fault-proxy';
export {
  type LocalServer,
  type LocalServerOptions,
  type StorageMode,
  startLocalServer,
  useLocalServer,
} from './local-server';
export type { ProxyFault, ProxyRule, RequestMatch, SeenRequest } from './proxy-rules';
export { GARBAGE } from './proxy-rules';
export { README_MISSPELT_CACHE, readmeFailureReport } from './readme-report';
export {
  type CallRule,
  type RecordedSet,
  RecordingStore,
  type StoreMethod,
} from './recording-store';
export {
  findRedisServer,
  keyCount,
  type RunningRedis,
  skipWithoutRedis,
  startRedis,
  startRedisCluster,
} from './redis';

import type { Authenticator } from '../auth/keys.js';
import type { FaultInjector } from '../faults.js';
import type { Metrics } from '../metrics.js';
import type { ResolvedOptions } from '../options.js';
import type { TokenBucket } from '../rate-limit.js';
import type { ObjectBodies } from '../storage/objects.js';
import type { ItemStore } from '../storage/types.js';
import type { TopicStore } from '../topics/types.js';
import type { ControlPlane } from './control-plane-state.js';

/** Everything a request handler may touch. Built once per server. */
export interface Context {
  readonly options: ResolvedOptions;
  readonly auth: Authenticator;
  readonly items: ItemStore;
  readonly caches: Set<string>;
  readonly metrics: Metrics;
  readonly faults: FaultInjector;
  readonly rate: TokenBucket | undefined;
  readonly control: ControlPlane;
  readonly objects: ObjectBodies;
  /** Topic messages and waiting long polls (memory, or Redis Streams in Redis mode). */
  readonly topics: TopicStore;
  /** Aborted when the server closes: cuts injected delays short so shutdown never waits on them. */
  readonly shutdown: AbortController;
}

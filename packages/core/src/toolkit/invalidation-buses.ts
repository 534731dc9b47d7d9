/** The process-wide registry of invalidation buses: one per client, cache and topic. */
import { InvalidationBus, type InvalidationBusOptions, type TopicsApi } from './invalidation-bus';

const BUSES = Symbol.for('momento-http.invalidation-buses');
type Registry = { [BUSES]?: WeakMap<object, Map<string, InvalidationBus>> };

/**
 * The bus of `topicName` in `cacheName` over `topics` in this process: created on first use,
 * shared by every near cache of the same client, cache and topic (the first caller's options
 * apply), dropped when the last link leaves.
 *
 * @example
 * const bus = sharedInvalidationBus(client.topics, 'default-cache', 'near:keyv:sessions');
 * const link = bus.join({ invalidate: (ids) => near.invalidate(ids), clear: () => near.clear(),
 *   capTtl: (ms) => near.capTtl(ms) }, report);
 */
export function sharedInvalidationBus(
  topics: TopicsApi,
  cacheName: string,
  topicName: string,
  options: InvalidationBusOptions = {},
): InvalidationBus {
  const registry = globalThis as Registry;
  registry[BUSES] ??= new WeakMap();
  let byName = registry[BUSES].get(topics);
  if (!byName) {
    byName = new Map();
    registry[BUSES].set(topics, byName);
  }
  const name = `${cacheName}\n${topicName}`;
  let bus = byName.get(name);
  if (!bus) {
    const created = new InvalidationBus(topics, cacheName, topicName, options, () => {
      if (byName.get(name) === created) byName.delete(name);
    });
    bus = created;
    byName.set(name, bus);
  }
  return bus;
}

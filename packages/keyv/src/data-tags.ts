import {
  type CacheStore,
  type CallOptions,
  TagStates,
  TagStore,
  tagVerdict,
} from '@momento-http/core';
import type { StoredRecord } from './record';

/** What {@link DataTags} needs from the store's options. */
export interface DataTagsOptions {
  tagKeyPrefix: string;
  maxTtlSeconds: number;
  /** The near cache's TTL, when on: tag states are then held near as long. */
  nearTtlMs: number | undefined;
  /** Tag states shared with another part of this process (the Nest module passes its own). */
  tagStates: TagStates | undefined;
}

/**
 * Tags on Keyv data, on the engine's tag side: a record written with tags remembers them and
 * when it was written; a read checks them with core's `tagVerdict` over `TagStates` (this
 * process's purges seen at once). An untagged record costs nothing: no tag is read.
 */
export class DataTags {
  readonly states: TagStates;

  constructor(store: CacheStore, options: DataTagsOptions) {
    this.states =
      options.tagStates ??
      new TagStates(
        // Tag records must outlive every entry they cover.
        new TagStore(store, { prefix: options.tagKeyPrefix, ttlSeconds: options.maxTtlSeconds }),
        { nearCache: options.nearTtlMs === undefined ? undefined : { ttlMs: options.nearTtlMs } },
      );
  }

  /**
   * Whether `record` may be served, from this process alone: `undefined` when some tag state is
   * not held here (then call {@link usable}).
   */
  peek(record: StoredRecord): boolean | undefined {
    if (!record.tags?.length) return true;
    const states = this.states.peek(record.tags);
    return states === undefined ? undefined : this.#serves(record, states);
  }

  /** Whether `record` may be served. Rejects when the tag states cannot be read (a miss, reported). */
  async usable(record: StoredRecord, options?: CallOptions): Promise<boolean> {
    if (!record.tags?.length) return true;
    const known = this.peek(record);
    if (known !== undefined) return known;
    return this.#serves(record, await this.states.read(record.tags, options));
  }

  /** Purges `tags` for every process sharing the cache (this one at once). */
  invalidate(tags: readonly string[], options?: CallOptions): Promise<void> {
    return this.states.invalidate(tags, options);
  }

  /** Data has no stale-while-revalidate: it is served until its tags expire it. */
  #serves(record: StoredRecord, states: Map<string, { stale: number; expired: number }>): boolean {
    return tagVerdict(states.values(), record.createdAt ?? 0) !== 'expired';
  }
}

import type { CacheStore, CallOptions } from '@momento-http/core';
import type { Generations } from './generations';
import type { NearRecords } from './near';
import {
  CorruptRecordError,
  decodeRecord,
  encodeRecord,
  isExpired,
  type StoredRecord,
} from './record';
import { WriteQueue } from './write-queue';

/** What a write stores: the encoded bytes, the decoded record for the near cache, the server TTL. */
export interface PreparedWrite {
  bytes: Uint8Array;
  record: StoredRecord;
  ttlSeconds: number;
}

/** One write or (without `write`) delete of a key, as queued. */
interface WriteJob {
  write: PreparedWrite | undefined;
  timeoutMs: number | undefined;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/**
 * The network side of the store: one key's read, write or delete, each the fewest requests
 * possible, under the namespace's generation and through the near cache (when there is one).
 */
export class Operations {
  readonly #store: CacheStore;
  readonly #near: NearRecords | undefined;
  readonly #writes = new WriteQueue<WriteJob>((id, job) => this.#exec(id, job));

  constructor(store: CacheStore, near: NearRecords | undefined) {
    this.#store = store;
    this.#near = near;
  }

  /**
   * Runs `fn` with the key prefix of the namespace's current generation.
   *
   * - Generation confirmed recently (within the near cache's TTL or `generationCacheMs`): no
   *   request for it.
   * - Otherwise, if a generation was seen before, `fn` runs under it while the generation is read
   *   again, in parallel: one round trip instead of two. Only if the generation changed (a clear
   *   elsewhere) does `fn` run again under the new one; the first attempt then touched keys that
   *   are already unreachable, so it did no harm.
   * - The first call of all reads the generation, then runs `fn`.
   *
   * The generation read is shared by all concurrent calls, so it costs one request per burst.
   */
  async inGeneration<T>(
    space: Generations,
    options: CallOptions,
    fn: (prefix: string) => Promise<T>,
  ): Promise<T> {
    const fresh = space.freshPrefix(Date.now());
    if (fresh !== undefined) return fn(fresh);
    const known = space.knownPrefix();
    if (known === undefined) return fn(await space.confirm(options));
    const attempt = settle(fn(known));
    const confirmed = await space.confirm(options);
    if (confirmed !== known) return fn(confirmed);
    const result = await attempt;
    if (result.ok) return result.value;
    throw result.error;
  }

  /** The live record under `id` (one GET), or `undefined`; fills the near cache. */
  async read(id: string, key: string, options: CallOptions): Promise<StoredRecord | undefined> {
    const near = this.#near;
    const token = near?.beginRead() ?? 0;
    const startedAt = Date.now();
    const bytes = await this.#store.get(id, options);
    const record = bytes === undefined ? undefined : decodeRecord(bytes);
    if (bytes !== undefined && !record) throw new CorruptRecordError(key);
    if (record === undefined || isExpired(record)) {
      near?.forget(id, token); // a background refresh found the key gone elsewhere
      return undefined;
    }
    near?.fill(id, record, token, startedAt);
    return record;
  }

  /**
   * Stores a prepared record (one PUT; more only for chunked values) and keeps it near. Writes of
   * one key run in call order (see {@link WriteQueue}).
   */
  write(id: string, write: PreparedWrite, options: CallOptions): Promise<void> {
    return this.#writes.run(id, { write, timeoutMs: options.timeoutMs });
  }

  /** Deletes `id` (one DELETE, in order with the key's writes) and drops it from the near cache. */
  delete(id: string, options: CallOptions): Promise<void> {
    return this.#writes.run(id, { write: undefined, timeoutMs: options.timeoutMs });
  }

  async #exec(id: string, job: WriteJob): Promise<void> {
    const { write, timeoutMs } = job;
    const near = this.#near;
    const startedAt = Date.now();
    const token = near?.beginWrite(id) ?? 0;
    try {
      if (write)
        await this.#store.set(id, write.bytes, { timeoutMs, ttlSeconds: write.ttlSeconds });
      else await this.#store.delete(id, { timeoutMs });
    } catch (error) {
      near?.endWrite(id, token, undefined, startedAt); // the server may hold either value now
      throw error;
    }
    near?.endWrite(id, token, write?.record, startedAt);
  }

  /**
   * Deletes `id` and says whether it held a live value. Momento's DELETE does not tell, so this
   * is a GET, then the DELETE (in that order: a DELETE racing the GET could hide the value).
   */
  async remove(id: string, key: string, options: CallOptions): Promise<boolean> {
    const existed = (await this.read(id, key, options).catch(existedIfCorrupt)) !== undefined;
    await this.delete(id, options);
    return existed;
  }
}

/** Encodes a value and its absolute deadline for {@link Operations.write}. */
export function prepareWrite(
  value: string,
  deadline: number | undefined,
  ttlSeconds: number,
): PreparedWrite {
  return { bytes: encodeRecord(value, deadline), record: { value, deadline }, ttlSeconds };
}

/** A corrupt record still counts as "existed" for delete: it is there, and it is being removed. */
function existedIfCorrupt(error: unknown): StoredRecord | undefined {
  if (error instanceof CorruptRecordError) return { value: '', deadline: undefined };
  throw error;
}

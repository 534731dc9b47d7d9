import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { encodeManifest, frameSmall, type Manifest, randomId, readFrame } from './chunk-manifest';
import { mapConcurrent } from './concurrency';
import { ChunkingError } from './errors';
import { concatBytes, keyBytes } from './keys';
import { DEFAULT_MAX_ITEM_BYTES, DEFAULT_MAX_TTL_SECONDS } from './limits';
import { checkAtLeast, checkWholeNumber } from './option-checks';

/** Options for {@link withChunking}. */
export interface ChunkingOptions {
  /** The store's item limit, key + value, in bytes (Momento: 5 MB). @default 5_000_000 (DEFAULT_MAX_ITEM_BYTES) */
  maxItemBytes?: number;
  /** Bytes per chunk. @default maxItemBytes − longest chunk key − 1 KiB */
  chunkBytes?: number;
  /** Chunk reads / writes in flight per value. @default 4 */
  concurrency?: number;
  /** Refuse to read a manifest announcing more than this many bytes. @default 1 GiB */
  maxValueBytes?: number;
  /** Also delete a value's chunks on `delete` (one extra read). Otherwise they die by TTL. @default false */
  deleteChunks?: boolean;
  /** Extra seconds of life for chunks, so they outlive the manifest written after them. @default 60 */
  chunkTtlSlackSeconds?: number;
  /** The store's maximum TTL; chunk TTLs are capped to it. @default 86400 */
  maxTtlSeconds?: number;
  /** Why a chunked read became a miss (missing chunk, hash mismatch, bad manifest). Never throws into the read. */
  onError?: (error: ChunkingError, context: { key: CacheKey }) => void;
}

/** Bytes kept free under the item limit for request overhead and rounding. */
const SAFETY_MARGIN_BYTES = 1024;

const encoder = new TextEncoder();

/**
 * Stores values larger than the item limit as chunks.
 *
 * A large value is written as chunks under keys `<key>#<id>#<i>`, `id` being random per write,
 * then a small manifest (length, chunk size, SHA-256) at `<key>`, last. A reader fetches the
 * manifest, then that write's chunks, and checks length and hash. So a reader sees either one
 * complete write or a miss: concurrent writers use different ids and never overwrite each other's
 * chunks, and the manifest swap is a single item write. A missing chunk (evicted or expired) or a
 * hash mismatch is reported to `onError` and read as `undefined`, never as a corrupt value.
 *
 * Values that fit are stored unchanged (so they remain readable without this wrapper), except those
 * that begin with the manifest's magic prefix, which are escaped.
 *
 * Caveats: chunks of overwritten or deleted values stay until their TTL (unless `deleteChunks`);
 * a chunked value costs `count + 1` requests to write and to read; chunk TTLs are the value's TTL
 * plus `chunkTtlSlackSeconds` (capped to `maxTtlSeconds`). With no `ttlSeconds`, chunks and manifest
 * both use the store's default, and the value can read as a miss slightly before its TTL.
 *
 * @example
 * const store = withChunking(client.cache('default-cache'), { onError: (e) => metrics.count(e.code) });
 * await store.set('report', twentyMegabytes, { ttlSeconds: 3600 });
 */
export function withChunking(store: CacheStore, options: ChunkingOptions = {}): CacheStore {
  const maxItemBytes = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
  const concurrency = options.concurrency ?? 4;
  const maxValueBytes = options.maxValueBytes ?? 2 ** 30;
  const slack = options.chunkTtlSlackSeconds ?? 60;
  const maxTtl = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  const { onError, deleteChunks = false } = options;
  checkWholeNumber('maxItemBytes', maxItemBytes, SAFETY_MARGIN_BYTES * 2 + 1, 'bytes');
  if (options.chunkBytes !== undefined) checkAtLeast('chunkBytes', options.chunkBytes, 1);
  checkWholeNumber('concurrency', concurrency);
  checkAtLeast('maxValueBytes', maxValueBytes, 1);
  checkAtLeast('chunkTtlSlackSeconds', slack);
  checkWholeNumber('maxTtlSeconds', maxTtl, 1, 'seconds');

  const report = (error: ChunkingError, key: CacheKey) => {
    try {
      onError?.(error, { key });
    } catch {
      // A failing hook must not turn a reported miss into a failed read.
    }
  };

  const chunkSizeFor = (key: CacheKey, id: string) => {
    // The longest chunk key this value could need, assuming up to 10 digits of index.
    const longestChunkKey = keyBytes(key).length + id.length + 12;
    const fit = maxItemBytes - longestChunkKey - SAFETY_MARGIN_BYTES;
    return Math.min(options.chunkBytes ?? fit, fit);
  };

  const fetchManifest = async (key: CacheKey, opts?: CallOptions) => {
    const stored = await store.get(key, opts);
    return stored === undefined ? undefined : readFrame(stored);
  };

  const readChunks = async (key: CacheKey, m: Manifest, opts?: CallOptions) => {
    if (m.length > maxValueBytes) {
      throw new ChunkingError(
        'BAD_MANIFEST',
        `manifest announces ${m.length} bytes, limit ${maxValueBytes}`,
      );
    }
    const indexes = Array.from({ length: m.count }, (_, i) => i);
    const chunks = await mapConcurrent(indexes, concurrency, async (i) => {
      const chunk = await store.get(chunkKey(key, m.id, i), opts);
      const expected = i === m.count - 1 ? m.length - m.chunkSize * i : m.chunkSize;
      if (chunk === undefined) {
        throw new ChunkingError('MISSING_CHUNK', `chunk ${i + 1} of ${m.count} is missing`);
      }
      if (chunk.length !== expected) {
        throw new ChunkingError(
          'INTEGRITY',
          `chunk ${i + 1} has ${chunk.length} bytes, expected ${expected}`,
        );
      }
      return chunk;
    });
    const value = concatBytes(chunks);
    if (!equalBytes(await sha256(value), m.sha256)) {
      throw new ChunkingError(
        'INTEGRITY',
        'SHA-256 of the reassembled value does not match its manifest',
      );
    }
    return value;
  };

  return {
    cacheName: store.cacheName,

    async get(key: CacheKey, opts?: CallOptions) {
      try {
        const frame = await fetchManifest(key, opts);
        if (frame === undefined) return undefined;
        if (frame.kind === 'plain') return frame.value;
        return await readChunks(key, frame.manifest, opts);
      } catch (error) {
        // Store failures propagate; only integrity problems become a reported miss.
        if (!(error instanceof ChunkingError)) throw error;
        report(error, key);
        return undefined;
      }
    },

    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      const bytes = typeof value === 'string' ? encoder.encode(value) : value;
      if (keyBytes(key).length + bytes.length + SAFETY_MARGIN_BYTES <= maxItemBytes) {
        await store.set(key, frameSmall(bytes), opts);
        return;
      }
      const id = randomId();
      const chunkSize = chunkSizeFor(key, id);
      const count = Math.ceil(bytes.length / chunkSize);
      const ttl = opts?.ttlSeconds;
      const chunkOpts: SetOptions = {
        ...opts,
        ttlSeconds: ttl === undefined ? undefined : Math.max(ttl, Math.min(ttl + slack, maxTtl)),
      };
      const indexes = Array.from({ length: count }, (_, i) => i);
      await mapConcurrent(indexes, concurrency, (i) =>
        store.set(
          chunkKey(key, id, i),
          bytes.subarray(i * chunkSize, Math.min((i + 1) * chunkSize, bytes.length)),
          chunkOpts,
        ),
      );
      const manifest: Manifest = {
        length: bytes.length,
        chunkSize,
        count,
        id,
        sha256: await sha256(bytes),
      };
      // Last: until this write lands, readers keep seeing the previous value in full.
      await store.set(key, encodeManifest(manifest), opts);
    },

    async delete(key: CacheKey, opts?: CallOptions) {
      if (!deleteChunks) {
        await store.delete(key, opts);
        return;
      }
      let frame: Awaited<ReturnType<typeof fetchManifest>>;
      try {
        frame = await fetchManifest(key, opts);
      } catch (error) {
        if (!(error instanceof ChunkingError)) throw error;
      }
      await store.delete(key, opts);
      if (frame?.kind === 'manifest') {
        const { id, count } = frame.manifest;
        const indexes = Array.from({ length: count }, (_, i) => i);
        await mapConcurrent(indexes, concurrency, (i) => store.delete(chunkKey(key, id, i), opts));
      }
    },
  };
}

/** `<key>#<id>#<i>`, as a string for string keys and as bytes for byte keys. */
function chunkKey(key: CacheKey, id: string, index: number): CacheKey {
  const suffix = `#${id}#${index}`;
  return typeof key === 'string' ? key + suffix : concatBytes([key, encoder.encode(suffix)]);
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * Integrity on every stored value, whatever its size: bytes changed between the store and the
 * reader (a truncating proxy, a flipped bit, someone else's value under the key, a value written
 * by an older format) read as a reported miss through the engine's read path: never a rejection,
 * never a wrong value.
 */
import { describe, expect, it } from 'vitest';
import type { CacheKey, CacheStore } from '../../src/contract';
import { FRAME_PREFIX, MANIFEST_BYTES } from '../../src/toolkit/chunk-manifest';
import { withChunking } from '../../src/toolkit/chunking';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { decodeEnvelope, encodeEnvelope } from '../../src/toolkit/envelope';
import { ChunkingError, EnvelopeError } from '../../src/toolkit/errors';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { rng } from './random';

const LIMIT = 10_000;
const keyText = (key: CacheKey) => (typeof key === 'string' ? key : new TextDecoder().decode(key));

type Tamper = (bytes: Uint8Array, key: string) => Uint8Array | undefined;

/** A store whose answers pass through `tamper` on the way back, as through a faulty proxy. */
function inTransit(store: CacheStore, state: { tamper?: Tamper }): CacheStore {
  return {
    cacheName: store.cacheName,
    async get(key, options) {
      const bytes = await store.get(key, options);
      return bytes && state.tamper ? state.tamper(bytes.slice(), keyText(key)) : bytes;
    },
    set: (key, value, options) => store.set(key, value, options),
    delete: (key, options) => store.delete(key, options),
  };
}

function engine() {
  const memory = createMemoryStore('c', { maxItemBytes: LIMIT });
  const transit: { tamper?: Tamper } = {};
  const errors: unknown[] = [];
  const chunked = withChunking(inTransit(memory, transit), {
    maxItemBytes: LIMIT,
    onError: (error) => errors.push(error),
  });
  const entries = new EntryCache<unknown>({
    store: chunked,
    decode: (bytes) => decodeEnvelope(bytes),
    onError: (error) => errors.push(error),
  });
  /** A read as the engine does it: the entry, or `undefined` with the reason in `errors`. */
  const read = async (key: string, tamper?: Tamper) => {
    transit.tamper = tamper;
    errors.length = 0;
    const entry = (await entries.readStore(key)).entry;
    transit.tamper = undefined;
    return entry;
  };
  const write = async (key: string, value: unknown) => {
    const bytes = await encodeEnvelope(value);
    await entries.set(key, value, bytes, { ttlSeconds: 60 });
  };
  return { memory, read, write, errors };
}

const small = { html: '<p>hello</p>', at: new Date(1_700_000_000_000), n: 7 };
const large = { body: rng(3).bytes(30_000), title: 'report' };

/** Expects a miss and exactly one reported error of `type` with one of `codes`. */
function expectReportedMiss(
  entry: unknown,
  errors: unknown[],
  type: typeof EnvelopeError | typeof ChunkingError,
  codes: string[],
  what: string,
) {
  expect(entry, what).toBeUndefined();
  expect(errors, what).toHaveLength(1);
  expect(errors[0], what).toBeInstanceOf(type);
  expect(codes, what).toContain((errors[0] as EnvelopeError | ChunkingError).code);
}

describe('integrity of small values', () => {
  it('reads an intact value back', async () => {
    const e = engine();
    await e.write('k', small);
    expect(await e.read('k')).toEqual(small);
    expect(e.errors).toEqual([]);
  });

  it('a truncated value is a reported miss at every cut', async () => {
    const e = engine();
    await e.write('k', small);
    const length = (await e.memory.get('k'))!.length;
    for (let cut = 1; cut < length; cut++) {
      const entry = await e.read('k', (bytes) => bytes.subarray(0, cut));
      expectReportedMiss(entry, e.errors, EnvelopeError, ['INTEGRITY', 'MALFORMED'], `cut ${cut}`);
    }
  });

  it('a value with any one byte altered is a reported miss', async () => {
    const e = engine();
    await e.write('k', small);
    const length = (await e.memory.get('k'))!.length;
    for (let at = 0; at < length; at++) {
      const entry = await e.read('k', (bytes) => {
        bytes[at] = (bytes[at] as number) ^ 0x20;
        return bytes;
      });
      const codes = ['INTEGRITY', 'MALFORMED', 'UNSUPPORTED_VERSION'];
      expectReportedMiss(entry, e.errors, EnvelopeError, codes, `byte ${at}`);
    }
  });

  it('foreign bytes and old-format values are reported misses', async () => {
    const e = engine();
    await e.write('k', small);
    const r = rng(9);
    const foreign: Array<[string, Uint8Array, string]> = [
      ['JSON', new TextEncoder().encode('{"html":"<p>evil</p>"}'), 'MALFORMED'],
      ['random', r.bytes(300), 'MALFORMED'],
      ['random after a version 2 header', Uint8Array.of(0xb5, 2, 0, ...r.bytes(60)), 'INTEGRITY'],
      ['version 1 (no checksum)', Uint8Array.of(0xb5, 1, 0, 0x07, 1, 0x78), 'UNSUPPORTED_VERSION'],
      ['empty', new Uint8Array(0), 'MALFORMED'],
    ];
    for (const [what, bytes, code] of foreign) {
      const entry = await e.read('k', () => bytes);
      expectReportedMiss(entry, e.errors, EnvelopeError, [code], what);
    }
  });
});

describe('integrity of chunked values', () => {
  async function chunkedEngine() {
    const e = engine();
    await e.write('big', large);
    const chunkKeys = e.memory
      .keys()
      .map(keyText)
      .filter((k) => k.startsWith('big#'));
    expect(chunkKeys.length).toBeGreaterThan(2);
    return { ...e, chunkKeys };
  }

  it('reads an intact chunked value back', async () => {
    const e = await chunkedEngine();
    expect(await e.read('big')).toEqual(large);
    expect(e.errors).toEqual([]);
  });

  it('a truncated, altered, foreign or missing chunk is a reported miss', async () => {
    const e = await chunkedEngine();
    const victim = e.chunkKeys[1]!;
    const r = rng(4);
    const faults: Array<[string, (bytes: Uint8Array) => Uint8Array, string]> = [
      ['truncated', (b) => b.subarray(0, b.length - 1), 'INTEGRITY'],
      ['altered', (b) => b.map((x, i) => (i === 500 ? x ^ 1 : x)), 'INTEGRITY'],
      ['foreign, same length', (b) => r.bytes(b.length), 'INTEGRITY'],
    ];
    for (const [what, fault] of faults) {
      const entry = await e.read('big', (bytes, key) => (key === victim ? fault(bytes) : bytes));
      expectReportedMiss(entry, e.errors, ChunkingError, ['INTEGRITY'], what);
    }
    await e.memory.delete(victim);
    expectReportedMiss(await e.read('big'), e.errors, ChunkingError, ['MISSING_CHUNK'], 'missing');
  });

  it('a manifest altered in any byte or truncated anywhere is a reported miss', async () => {
    const e = await chunkedEngine();
    expect((await e.memory.get('big'))!.length).toBe(MANIFEST_BYTES);
    for (let at = 0; at < MANIFEST_BYTES; at++) {
      const entry = await e.read('big', (bytes, key) => {
        if (key === 'big') bytes[at] = (bytes[at] as number) ^ 0x04;
        return bytes;
      });
      // Altering the frame prefix makes the manifest an unframed value: the envelope check refuses it.
      const [type, codes] =
        at < FRAME_PREFIX.length
          ? [EnvelopeError, ['MALFORMED']]
          : [ChunkingError, ['BAD_MANIFEST']];
      expectReportedMiss(entry, e.errors, type, codes, `manifest byte ${at}`);
    }
    for (let cut = FRAME_PREFIX.length + 2; cut < MANIFEST_BYTES; cut++) {
      const entry = await e.read('big', (bytes, key) =>
        key === 'big' ? bytes.subarray(0, cut) : bytes,
      );
      expectReportedMiss(entry, e.errors, ChunkingError, ['BAD_MANIFEST'], `manifest cut ${cut}`);
    }
  });

  it('a manifest replaced in transit is a reported miss, never returned as the value', async () => {
    const e = await chunkedEngine();
    const r = rng(8);
    const replacements: Array<[string, Uint8Array, typeof EnvelopeError | typeof ChunkingError]> = [
      ['72 bytes of garbage', r.bytes(72), EnvelopeError],
      [
        'garbage behind the frame prefix',
        Uint8Array.of(...FRAME_PREFIX, 0x4d, 2, ...r.bytes(68)),
        ChunkingError,
      ],
      [
        'a version 1 manifest (no checksum)',
        Uint8Array.of(...FRAME_PREFIX, 0x4d, 1, ...new Uint8Array(64)),
        ChunkingError,
      ],
    ];
    for (const [what, bytes, type] of replacements) {
      const entry = await e.read('big', (b, key) => (key === 'big' ? bytes : b));
      const codes = type === EnvelopeError ? ['MALFORMED'] : ['BAD_MANIFEST'];
      expectReportedMiss(entry, e.errors, type, codes, what);
    }
  });
});

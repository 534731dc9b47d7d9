import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../src/toolkit/envelope';
import { Tag } from '../../src/toolkit/envelope-format';
import { EnvelopeError } from '../../src/toolkit/errors';
import { difference, randomValue, rng } from './random';
import { sealedEnvelope } from './sealed-envelope';

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

const roundTrip = async (value: unknown) => decodeEnvelope(await encodeEnvelope(value));

async function expectEnvelopeError(bytes: Uint8Array, code?: string) {
  const error = await decodeEnvelope(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvelopeError);
  if (code) expect((error as EnvelopeError).code).toBe(code);
}

describe('envelope round trips', () => {
  it('keeps every random value bit-exact, and re-encodes to the same bytes', async () => {
    const r = rng(20261125);
    for (let i = 0; i < 1500; i++) {
      const value = randomValue(r);
      const bytes = await encodeEnvelope(value);
      const back = await decodeEnvelope(bytes);
      const diff = difference(value, back);
      if (diff) throw new Error(`case ${i}: ${diff}`);
      const again = await encodeEnvelope(back);
      if (!sameBytes(again, bytes)) throw new Error(`case ${i}: re-encoding differs`);
    }
  });

  it('brings Buffers back as Buffers and Uint8Arrays as Uint8Arrays, as copies', async () => {
    const input = new Uint8Array([1, 2, 3]);
    const back = (await roundTrip({ buf: Buffer.from('hi'), u8: input })) as Record<
      string,
      unknown
    >;
    expect(Buffer.isBuffer(back.buf)).toBe(true);
    expect(String(back.buf)).toBe('hi');
    expect(Object.getPrototypeOf(back.u8)).toBe(Uint8Array.prototype);
    expect(back.u8).not.toBe(input);
  });

  it('decodes Buffers as Uint8Arrays where there is no globalThis.Buffer (Workers, Deno)', async () => {
    const bytes = await encodeEnvelope({ buf: Buffer.from('hi') });
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    let pending: Promise<unknown>;
    try {
      delete g.Buffer;
      pending = decodeEnvelope(bytes); // an uncompressed envelope decodes synchronously
    } finally {
      g.Buffer = saved;
    }
    const back = (await pending) as { buf: Uint8Array };
    expect(Object.getPrototypeOf(back.buf)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(back.buf)).toBe('hi');
  });

  it('carries a Next.js-style entry: strings, Buffers, Map<string, Buffer>, undefined', async () => {
    const entry = {
      kind: 'APP_PAGE',
      html: '<html>héllo 🙂</html>',
      rscData: Buffer.from([0, 1, 2, 255]),
      segmentData: new Map([['/a', Buffer.from('seg')]]),
      postponed: undefined,
      headers: { 'x-next-cache-tags': '_N_T_/a,tag' },
      status: 200,
      lastModified: new Date(1_700_000_000_123),
    };
    const back = await roundTrip(entry);
    expect(difference(entry, back)).toBeUndefined();
    expect('postponed' in (back as object)).toBe(true);
  });

  it('turns array holes into undefined and keeps __proto__ as an own key', async () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    expect(await roundTrip([1, , 3])).toStrictEqual([1, undefined, 3]);
    const tricky = JSON.parse('{"__proto__": {"polluted": true}}');
    const back = (await roundTrip(tricky)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps strings with lone surrogates exactly', async () => {
    expect(await roundTrip('a\uD800b\uDFFF')).toBe('a\uD800b\uDFFF');
  });

  it('handles large values', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => i * 7);
    const back = (await roundTrip({ big, text: 'x'.repeat(1_000_000) })) as { big: Uint8Array };
    expect(difference(big, back.big)).toBeUndefined();
  });
});

describe('envelope compression', () => {
  const repetitive = { html: '<div class="row">hello</div>'.repeat(2000) };

  it('gzips above the threshold when that shrinks the payload', async () => {
    const plain = await encodeEnvelope(repetitive);
    const packed = await encodeEnvelope(repetitive, { compressAboveBytes: 1024 });
    expect(packed[2]).toBe(1);
    expect(packed.length).toBeLessThan(plain.length / 10);
    expect(await decodeEnvelope(packed)).toEqual(repetitive);
  });

  it('stays uncompressed below the threshold, or when gzip would not shrink it', async () => {
    expect((await encodeEnvelope(repetitive, { compressAboveBytes: 1e9 }))[2]).toBe(0);
    const noise = rng(1).bytes(50_000);
    const packed = await encodeEnvelope(noise, { compressAboveBytes: 0 });
    expect(packed[2]).toBe(0);
    expect(await decodeEnvelope(packed)).toEqual(noise);
  });

  it('refuses to inflate past maxDecodedBytes', async () => {
    const bomb = await encodeEnvelope(new Uint8Array(2_000_000), { compressAboveBytes: 0 });
    expect(bomb.length).toBeLessThan(10_000);
    await expect(decodeEnvelope(bomb, { maxDecodedBytes: 100_000 })).rejects.toMatchObject({
      name: 'EnvelopeError',
      code: 'TOO_LARGE',
    });
  });

  it('refuses corrupt gzip data: by the checksum, or as malformed when the checksum matches', async () => {
    const packed = await encodeEnvelope(repetitive, { compressAboveBytes: 0 });
    await expectEnvelopeError(packed.subarray(0, packed.length - 10), 'INTEGRITY');
    const flipped = packed.slice();
    flipped[20] = (flipped[20] as number) ^ 0xff;
    await expectEnvelopeError(flipped, 'INTEGRITY');
    // A body that is not gzip at all, sealed with a correct checksum (a buggy writer).
    await expectEnvelopeError(
      sealedEnvelope(packed.subarray(7, packed.length - 10), 1),
      'MALFORMED',
    );
  });
});

describe('envelope errors', () => {
  it('refuses values it cannot carry, with a typed error', async () => {
    class Point {
      x = 1;
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: unknown = 1;
    for (let i = 0; i < 600; i++) deep = [deep];
    const cases: [unknown, string][] = [
      [() => 1, 'UNSUPPORTED_TYPE'],
      [Symbol('s'), 'UNSUPPORTED_TYPE'],
      [new Point(), 'UNSUPPORTED_TYPE'],
      [{ nested: [new WeakMap()] }, 'UNSUPPORTED_TYPE'],
      [circular, 'CIRCULAR'],
      [deep, 'TOO_DEEP'],
    ];
    for (const [value, code] of cases) {
      await expect(encodeEnvelope(value)).rejects.toMatchObject({ name: 'EnvelopeError', code });
    }
  });

  it('reads only its own version; version 1 (no checksum) is refused, not guessed at', async () => {
    const bytes = await encodeEnvelope('x');
    expect(bytes[1]).toBe(2);
    await expectEnvelopeError(Uint8Array.of(0xb5, 3, 0, 0, 0, 0, 0, 1), 'UNSUPPORTED_VERSION');
    // What version 1 wrote for 'x': magic, version, flags, String tag, length 1, 'x'.
    await expectEnvelopeError(Uint8Array.of(0xb5, 1, 0, 0x07, 1, 0x78), 'UNSUPPORTED_VERSION');
    await expectEnvelopeError(sealedEnvelope([0x07, 1, 0x78], 0x80), 'UNSUPPORTED_VERSION');
    await expectEnvelopeError(new Uint8Array(0), 'MALFORMED');
    await expectEnvelopeError(new TextEncoder().encode('{"json": true}'), 'MALFORMED');
  });

  it('refuses every truncation of a valid envelope', async () => {
    const r = rng(7);
    for (let i = 0; i < 40; i++) {
      const bytes = await encodeEnvelope(randomValue(r), {
        compressAboveBytes: i % 2 ? 64 : Infinity,
      });
      // Every prefix of short envelopes; a sample of prefixes of long ones.
      const step = Math.max(1, Math.floor(bytes.length / 200));
      for (let end = 0; end < bytes.length; end += end < 64 ? 1 : step) {
        await expectEnvelopeError(bytes.subarray(0, end), end > 7 ? 'INTEGRITY' : undefined);
      }
      await expectEnvelopeError(Uint8Array.of(...bytes, 0), 'INTEGRITY');
    }
  });

  it('refuses every single-byte alteration of a value, compressed or not', async () => {
    const value = { html: '<p>hello</p>'.repeat(50), at: new Date(0), n: 42 };
    for (const compressAboveBytes of [Infinity, 16]) {
      const bytes = await encodeEnvelope(value, { compressAboveBytes });
      for (let at = 0; at < bytes.length; at++) {
        const altered = bytes.slice();
        altered[at] = (altered[at] as number) ^ 0x01;
        const expected = at === 0 ? 'MALFORMED' : at === 1 ? 'UNSUPPORTED_VERSION' : 'INTEGRITY';
        await expectEnvelopeError(altered, expected);
      }
    }
  });

  it('refuses foreign bytes, even ones that start like an envelope', async () => {
    const r = rng(5);
    for (let i = 0; i < 200; i++) {
      const foreign = Uint8Array.of(0xb5, 2, 0, ...r.bytes(r.int(5, 200)));
      await expectEnvelopeError(foreign, 'INTEGRITY');
    }
    await expectEnvelopeError(r.bytes(72), undefined); // a chunk manifest replaced in transit
  });

  it('never crashes on corrupted or random input: a value or an EnvelopeError', async () => {
    const r = rng(99);
    for (let i = 0; i < 3000; i++) {
      let bytes: Uint8Array;
      if (i % 2) {
        bytes = await encodeEnvelope(randomValue(r));
        for (let k = r.int(1, 3); k > 0; k--) {
          const at = r.int(3, Math.max(3, bytes.length - 1));
          bytes[at] = r.int(0, 255);
        }
      } else {
        bytes = sealedEnvelope(r.bytes(r.int(0, 40))); // random bodies past the checksum
      }
      await decodeEnvelope(bytes).catch((error: unknown) => {
        if (!(error instanceof EnvelopeError)) throw error;
      });
    }
  });

  it('refuses invalid UTF-8 in short (ASCII fast path) and long strings', async () => {
    const string = (bytes: number[]) => sealedEnvelope([Tag.String, bytes.length, ...bytes]);
    // A lone continuation byte, an overlong encoding, a truncated sequence.
    for (const bad of [
      [0x61, 0x80],
      [0xc0, 0xaf],
      [0x61, 0x62, 0xe2, 0x82],
    ]) {
      await expectEnvelopeError(string(bad), 'MALFORMED');
      await expectEnvelopeError(string([...new Array(100).fill(0x61), ...bad]), 'MALFORMED');
    }
    expect(await decodeEnvelope(string([0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(await decodeEnvelope(string([0x68, 0x69]))).toBe('hi');
  });

  it('refuses hostile counts and nesting without allocating or recursing deeply', async () => {
    // An array claiming 2^40 elements in a 10-byte envelope.
    await expectEnvelopeError(
      sealedEnvelope([0x09, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]),
      'MALFORMED',
    );
    // 100k nested single-element arrays.
    const nested = new Uint8Array(200_000);
    for (let i = 0; i < nested.length; i += 2) nested.set([0x09, 0x01], i);
    await expectEnvelopeError(sealedEnvelope(nested), 'TOO_DEEP');
  });
});

// Damaged answers through the fault proxy: a garbage or truncated generation, value, chunk
// manifest or chunk is a reported miss; nothing stored is lost and no new generation is written.
import { NamespaceGenerationError } from '@momento-http/core';
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptRecordError, KeyvMomento } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const proxy = useFaultProxy(local);
const TRUNCATED = { kind: 'truncate', contentLength: 'matching' } as const;
const GARBAGE = { kind: 'garbage' } as const;

/** A store reached through the proxy (a process of its own), and the errors it emits. */
function proxied(namespace: string, options: { maxItemBytes?: number } = {}) {
  const store = new KeyvMomento({
    client: local.client({ baseUrl: proxy.url, retries: 0 }),
    namespace,
    ...options,
  });
  const errors: unknown[] = [];
  store.on('error', (error) => errors.push(error));
  return { store, errors };
}

/** The generation as the server holds it (read directly, not through the proxy). */
const generationOf = async (namespace: string) => {
  const bytes = await local.client().cache('default-cache').get(`${namespace}|__gen__`);
  return bytes && new TextDecoder().decode(bytes);
};

afterEach(() => {
  proxy.clear();
});

describe('a damaged generation', () => {
  for (const [name, fault] of [
    ['garbage', GARBAGE],
    ['truncated', TRUNCATED],
  ] as const) {
    it(`${name}: reads are reported misses, writes are refused, nothing is cleared`, async () => {
      const namespace = uniqueNamespace('gen');
      const writer = proxied(namespace).store;
      expect(await writer.set('k', 'kept')).toBe(true);
      const generation = await generationOf(namespace);

      proxy.add({ method: 'GET', key: `${namespace}|__gen__`, fault });
      const { store, errors } = proxied(namespace); // another process: it must read the generation
      expect(await store.get('k')).toBeUndefined();
      expect(await store.getMany(['k', 'j'])).toEqual([undefined, undefined]);
      expect(await store.set('k', 'overwritten')).toBe(false);
      expect(errors).toHaveLength(3);
      for (const error of errors) expect(error).toBeInstanceOf(NamespaceGenerationError);
      expect(String(errors[0])).toMatch(/"k"/);

      proxy.clear();
      expect(await generationOf(namespace)).toBe(generation);
      expect(await store.get('k')).toBe('kept');
    });
  }
});

describe('a damaged value', () => {
  for (const [name, fault] of [
    ['garbage', GARBAGE],
    ['truncated', TRUNCATED],
  ] as const) {
    it(`${name}: Keyv reads a miss (no SyntaxError), the error names the key, the value stays`, async () => {
      const namespace = uniqueNamespace('value');
      const { store, errors } = proxied(namespace);
      const keyv = new Keyv(store, { namespace, useKeyPrefix: false });
      await keyv.set('user:1', { name: 'Ada' });
      proxy.add({ method: 'GET', key: /\|user:1$/, fault });
      expect(await keyv.get('user:1')).toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(CorruptRecordError);
      expect((errors[0] as CorruptRecordError).key).toBe('user:1');
      proxy.clear();
      expect(await keyv.get('user:1')).toEqual({ name: 'Ada' });
    });
  }
});

describe('a damaged chunked value', () => {
  const big = 'x'.repeat(20_000);
  for (const [name, part, fault] of [
    ['garbage manifest', /\|big$/, GARBAGE],
    ['truncated manifest', /\|big$/, TRUNCATED],
    ['garbage chunk', /\|big#.+#1$/, GARBAGE],
    ['truncated chunk', /\|big#.+#0$/, TRUNCATED],
  ] as const) {
    it(`${name}: a reported miss, never the damaged bytes; the value stays`, async () => {
      const { store, errors } = proxied(uniqueNamespace('chunks'), { maxItemBytes: 4096 });
      expect(await store.set('big', big)).toBe(true);
      const rule = proxy.add({ method: 'GET', key: part, fault });
      expect(await store.get('big')).toBeUndefined();
      expect(rule.hits).toBeGreaterThan(0);
      expect(errors.length).toBeGreaterThan(0);
      proxy.clear();
      expect(await store.get('big')).toBe(big);
    });
  }
});

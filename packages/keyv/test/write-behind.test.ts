// writeBehind: set resolves once this process sees the write; the PUT goes on in the background,
// its failure reported, never lost silently; flush() and disconnect() wait for it.
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyvMomento, type KeyvMomentoOptions } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const proxy = useFaultProxy(local);

afterEach(() => proxy.clear());

function pair(options: KeyvMomentoOptions = {}) {
  const namespace = uniqueNamespace();
  const errors: unknown[] = [];
  const writer = new KeyvMomento({
    client: local.client({ baseUrl: proxy.url, retries: 0 }),
    namespace,
    writeBehind: true,
    ...options,
  });
  writer.on('error', (error) => errors.push(error));
  // Another process's view: straight to the server, no near cache.
  const reader = new KeyvMomento({ client: local.client(), namespace });
  return { writer, reader, errors };
}

describe('writeBehind', () => {
  it('set resolves true and reads here see the value; others see it once flush() resolves', async () => {
    const { writer, reader } = pair();
    await writer.set('seed', 'x'); // the namespace's generation exists
    await writer.flush();
    proxy.add({ method: 'PUT', delayMs: 300 });
    expect(await writer.set('k', 'v1')).toBe(true);
    expect(await writer.get('k')).toBe('v1');
    await writer.flush();
    expect(await reader.get('k')).toBe('v1');
  });

  it('a background write that fails is reported with the user key, and nothing else changes', async () => {
    const { writer, reader, errors } = pair();
    await writer.set('k', 'old');
    await writer.flush();
    proxy.add({ method: 'PUT', fault: { kind: 'status', status: 503 } });
    expect(await writer.set('k', 'new')).toBe(true);
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toContain('"k"');
    expect(await reader.get('k')).toBe('old');
  });

  it('past 16 × concurrency waiting writes, a set is awaited (and says false when it fails)', async () => {
    const { writer } = pair({ concurrency: 1 });
    await writer.set('seed', 'x');
    await writer.flush();
    proxy.add({ method: 'PUT', fault: { kind: 'status', status: 503 } });
    const answers = await Promise.all(
      Array.from({ length: 17 }, (_, i) => writer.set(`k${i}`, 'v')),
    );
    expect(answers.slice(0, 16)).toEqual(Array(16).fill(true));
    expect(answers[16]).toBe(false);
    await writer.flush();
  });

  it('input the store refuses still fails at once', async () => {
    const { writer, errors } = pair();
    expect(await writer.set('k', 42 as unknown as string)).toBe(false);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message)).toMatch(/serialized strings/);
    await expect(writer.setWithTags('k', 'v', { tags: [''] as unknown as string[] })).resolves.toBe(
      false,
    );
  });

  it('setMany resolves one true per entry at once; disconnect() lands the writes first', async () => {
    const { writer, reader } = pair();
    await writer.set('seed', 'x');
    await writer.flush();
    proxy.add({ method: 'PUT', delayMs: 200 });
    const entries = [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ];
    expect(await writer.setMany(entries)).toEqual([true, true]);
    await writer.disconnect();
    expect(await reader.getMany(['a', 'b'])).toEqual(['1', '2']);
  });

  it('through Keyv: keyv.set is true at once and keyv.get reads it back', async () => {
    const { writer } = pair();
    const keyv = new Keyv(writer, { useKeyPrefix: false });
    proxy.add({ method: 'PUT', delayMs: 200 });
    expect(await keyv.set('user', { name: 'Ada' })).toBe(true);
    expect(await keyv.get('user')).toEqual({ name: 'Ada' });
    await writer.flush();
  });

  it('is off by default, and refuses a non-boolean', () => {
    expect(new KeyvMomento({ client: local.client() }).opts.writeBehind).toBe(false);
    expect(
      () => new KeyvMomento({ client: local.client(), writeBehind: 'yes' as unknown as boolean }),
    ).toThrow(/writeBehind must be a boolean/);
  });
});

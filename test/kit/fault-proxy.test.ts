// The fault proxy against the real local server and the real client: each fault is seen by the
// client as it would be on a real network, and only the requests a rule selects are touched.
import { ConnectionError, MomentoError, ServerError } from '@momento-http/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GARBAGE, startFaultProxy, useFaultProxy, useLocalServer } from './index';

const local = useLocalServer();
const proxy = useFaultProxy(local);
const text = (bytes: Uint8Array | undefined) => bytes && new TextDecoder().decode(bytes);
const viaProxy = () => local.store({ baseUrl: proxy.url, retries: 0, timeoutMs: 5000 });

afterEach(() => {
  proxy.clear();
  proxy.forget();
});

describe('fault proxy', () => {
  it('passes everything through unchanged and counts requests by method and key', async () => {
    const store = viaProxy();
    await store.set('plain', 'v');
    await store.set('ключ', 'w'); // not URL-safe: travels as key_base64=
    expect(text(await store.get('plain'))).toBe('v');
    expect(text(await store.get('ключ'))).toBe('w');
    expect(proxy.count()).toBe(4);
    expect(proxy.count({ method: 'PUT' })).toBe(2);
    expect(proxy.count({ key: 'ключ' })).toBe(2);
    expect(proxy.count({ method: 'get', key: /^pl/ })).toBe(1);
  });

  it('answers garbage for the selected key only, and the server never sees that write', async () => {
    const store = viaProxy();
    await store.set('good', 'kept');
    const rule = proxy.add({ method: 'GET', key: 'bad', fault: { kind: 'garbage' } });
    expect(await store.get('bad')).toEqual(GARBAGE);
    expect(text(await store.get('good'))).toBe('kept');
    expect(rule.hits).toBe(1);
    proxy.add({ method: 'PUT', fault: { kind: 'garbage', body: 'x' }, count: 1 });
    await store.set('never', 'stored');
    expect(await local.store().get('never')).toBeUndefined();
  });

  it('truncates: a cut-off body fails the read; a matching length returns the prefix', async () => {
    const store = viaProxy();
    await store.set('k', '0123456789');
    proxy.add({ key: 'k', count: 1, fault: { kind: 'truncate', contentLength: 'original' } });
    const cut = await store.get('k').catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(MomentoError);
    proxy.add({
      key: 'k',
      count: 1,
      fault: { kind: 'truncate', keepBytes: 3, contentLength: 'matching' },
    });
    expect(text(await store.get('k'))).toBe('012');
    expect(text(await store.get('k'))).toBe('0123456789'); // both rules retired
  });

  it('resets the connection and answers 5xx, without reaching the server', async () => {
    const store = viaProxy();
    proxy.add({ method: 'PUT', key: 'r', count: 1, fault: { kind: 'reset' } });
    await expect(store.set('r', 'v')).rejects.toBeInstanceOf(ConnectionError);
    proxy.add({ path: '/cache/', count: 1, fault: { kind: 'status', status: 503 } });
    await expect(store.get('r')).rejects.toBeInstanceOf(ServerError);
    expect(await store.get('r')).toBeUndefined();
  });

  it('delays a write: it lands after a read that started later', async () => {
    const store = viaProxy();
    proxy.add({ method: 'PUT', key: 'slow', delayMs: 300 });
    const write = store.set('slow', 'late');
    await expect.poll(() => proxy.count({ method: 'PUT', key: 'slow' })).toBe(1);
    expect(await local.store().get('slow')).toBeUndefined();
    await write;
    expect(text(await local.store().get('slow'))).toBe('late');
  });

  it('refuses a rule that does nothing', async () => {
    expect(() => proxy.add({ method: 'GET' })).toThrow(/fault or a delayMs/);
    expect(() => proxy.add({ delayMs: 5, count: 0 })).toThrow(/count/);
  });

  it('close() ends held requests', async () => {
    const own = await startFaultProxy(local.url);
    own.add({ delayMs: 60_000 });
    const held = local.store({ baseUrl: own.url, retries: 0 }).get('k');
    await expect.poll(() => own.count()).toBe(1);
    await own.close();
    await expect(held).rejects.toBeInstanceOf(MomentoError);
  });
});

/** Credential formats and TTL handling end to end against the real local server. */

import { toV1Key } from '@momento-http/server';
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { MomentoClient, type RequestEvent } from '../../src/index';
import { text } from './helpers';

const t = useLocalServer();

describe('credentials against the server', () => {
  it('a v1 key whose endpoint has a scheme reaches the server, sending only the inner JWT', async () => {
    const v1 = toV1Key(t.apiKey, t.server.url);
    const client = new MomentoClient({ apiKey: v1, env: {} });
    expect(client.keyFormat).toBe('v1');
    expect(client.baseUrl).toBe(t.server.url);
    await client.set('default-cache', 'v1', 'ok');
    expect(text(await client.get('default-cache', 'v1'))).toBe('ok');
  });

  it('a v1 key as `key create --v1` writes it (host:port, no scheme) works on its own', async () => {
    const v1 = toV1Key(t.apiKey, `127.0.0.1:${t.server.port}`);
    const client = new MomentoClient({ env: { MOMENTO_API_KEY: v1 } });
    expect(client.baseUrl).toBe(`http://127.0.0.1:${t.server.port}`);
    await client.set('default-cache', 'v1-bare', 'ok');
    expect(text(await client.get('default-cache', 'v1-bare'))).toBe('ok');
  });

  it('a v2 key with MOMENTO_ENDPOINT (with a scheme) from the environment', async () => {
    const client = new MomentoClient({
      env: { MOMENTO_API_KEY: t.apiKey, MOMENTO_ENDPOINT: t.server.url },
    });
    expect(client.keyFormat).toBe('v2');
    await expect(client.get('default-cache', 'anything')).resolves.toBeUndefined();
  });
});

describe('TTL', () => {
  it('set without ttlSeconds sends the client default; with it, that value', async () => {
    const urls: string[] = [];
    const onRequest = (e: RequestEvent) => urls.push(e.url);
    const client = t.client({ defaultTtlSeconds: 7, hooks: { onRequest } });
    await client.set('default-cache', 'ttl-a', 'v');
    await client.set('default-cache', 'ttl-b', 'v', { ttlSeconds: 123 });
    expect(urls[0]).toMatch(/[?&]ttl_seconds=7$/);
    expect(urls[1]).toMatch(/[?&]ttl_seconds=123$/);
  });

  it('an item expires after its TTL', async () => {
    const client = t.client();
    await client.set('default-cache', 'short', 'v', { ttlSeconds: 1 });
    expect(text(await client.get('default-cache', 'short'))).toBe('v');
    const deadline = Date.now() + 4000;
    let value = await client.get('default-cache', 'short');
    while (value !== undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      value = await client.get('default-cache', 'short');
    }
    expect(value).toBeUndefined();
  });

  it('a TTL over the server maximum is a BadRequestError', async () => {
    await expect(
      t.client().set('default-cache', 'k', 'v', { ttlSeconds: 86_401 }),
    ).rejects.toMatchObject({ name: 'BadRequestError', status: 400 });
  });
});

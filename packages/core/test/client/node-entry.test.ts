/** The Node entry: same API, undici by default, `fetch` / `transport` still injectable. */
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import * as web from '../../src/index';
import * as node from '../../src/node';
import { text } from './helpers';

const t = useLocalServer();

describe('@momento-http/core/node', () => {
  it('exports everything the default entry does', () => {
    for (const name of Object.keys(web)) expect(node, name).toHaveProperty(name);
  });

  it('a client with no transport does get/set/delete over undici against the server', async () => {
    const client = node.createClient({ baseUrl: t.server.url, apiKey: t.apiKey, env: {} });
    expect(client).toBeInstanceOf(web.MomentoClient);
    await client.set('default-cache', 'node-k', 'v');
    expect(text(await client.get('default-cache', 'node-k'))).toBe('v');
    await client.delete('default-cache', 'node-k');
    expect(await client.get('default-cache', 'node-k')).toBeUndefined();
  });

  it('an injected fetch is used instead of undici', async () => {
    let calls = 0;
    const counting: web.FetchLike = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const client = new node.MomentoClient({
      baseUrl: t.server.url,
      apiKey: t.apiKey,
      env: {},
      fetch: counting,
    });
    await client.get('default-cache', 'k');
    expect(calls).toBe(1);
  });

  it('an undiciTransport with its own options works and aborts like the fetch one', async () => {
    const client = node.createClient({
      baseUrl: t.server.url,
      apiKey: t.apiKey,
      env: {},
      transport: node.undiciTransport({ connections: 2, keepAliveTimeoutMs: 1000 }),
    });
    t.server.faults.add({ path: '/cache/default-cache', delayMs: 2000, count: 1 });
    const reason = new Error('stop');
    const controller = new AbortController();
    const pending = client.get('default-cache', 'k', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    await expect(pending).rejects.toBe(reason);
  });

  it('the deadline holds over undici too', async () => {
    const client = node.createClient({
      baseUrl: t.server.url,
      apiKey: t.apiKey,
      env: {},
      timeoutMs: 150,
    });
    // A server slower than any loaded machine: the bound tells "gave up" from "waited", nothing finer.
    t.server.faults.add({ path: '/cache/default-cache', delayMs: 10_000, count: 1 });
    const started = Date.now();
    await expect(client.get('default-cache', 'k')).rejects.toBeInstanceOf(web.TimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

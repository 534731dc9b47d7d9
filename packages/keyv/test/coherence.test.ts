/**
 * Coherent near caches between two Keyv app processes (child processes), near `ttlMs` 60 s: what
 * one writes, deletes or clears the other sees within the poll, where without coherence it would
 * serve its old copy for a minute. Memory mode (one server) and Redis mode (two servers over one
 * redis-server, one per process). B goes through a fault proxy, to cut its subscription.
 */

import { coherenceTopicName, createClient } from '@momento-http/core';
import { type RunningServer, startServer } from '@momento-http/server';
import {
  eventually,
  type FaultProxy,
  type RunningRedis,
  skipWithoutRedis,
  startFaultProxy,
  startRedis,
} from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyvMomento } from '../src/index';
import { uniqueNamespace } from './helpers';
import { type Peer, startPeer } from './peer-process';

interface Setup {
  /** A's server, and B's (the same in memory mode). */
  serverA: RunningServer;
  serverB: RunningServer;
  /** In front of B's server: B's every request goes through it. */
  proxyB: FaultProxy;
  close(): Promise<void>;
}

const BUFFER = 8;
const secret = 'one signing secret for both servers';

async function memorySetup(): Promise<Setup> {
  const server = await startServer({ port: 0, signingSecret: secret, topicBufferMessages: BUFFER });
  const proxyB = await startFaultProxy(server.url);
  return {
    serverA: server,
    serverB: server,
    proxyB,
    async close() {
      await proxyB.close();
      await server.close();
    },
  };
}

async function redisSetup(): Promise<Setup> {
  const redis: RunningRedis = await startRedis();
  const options = {
    port: 0,
    redisUrl: redis.url,
    signingSecret: secret,
    topicBufferMessages: BUFFER,
  };
  const serverA = await startServer(options);
  const serverB = await startServer(options);
  const proxyB = await startFaultProxy(serverB.url);
  return {
    serverA,
    serverB,
    proxyB,
    async close() {
      await proxyB.close();
      await Promise.all([serverA.close(), serverB.close()]);
      await redis.stop();
    },
  };
}

const modes = [
  ['memory', memorySetup, false],
  ['redis', redisSetup, skipWithoutRedis('keyv coherence')],
] as const;

describe.each(modes)('two Keyv processes, coherent near caches (%s mode)', (mode, setup, skip) => {
  let env: Setup;
  const peers: Peer[] = [];
  beforeAll(async () => {
    if (!skip) env = await setup();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.stop()));
    await env?.close();
  });

  /** A on its server, B through its proxy, both in `namespace`, both subscribed and live. */
  async function pair(namespace: string): Promise<{ a: Peer; b: Peer }> {
    const a = startPeer({ url: env.serverA.url, apiKey: env.serverA.createApiKey(), namespace });
    const b = startPeer({ url: env.proxyB.url, apiKey: env.serverB.createApiKey(), namespace });
    peers.push(a, b);
    // Any operation joins the topic; then wait for the first answer.
    await Promise.all([a.call('get', { key: 'warm-up' }), b.call('get', { key: 'warm-up' })]);
    await eventually(async () => (await a.call('state')) === 'live', { what: 'A live' });
    await eventually(async () => (await b.call('state')) === 'live', { what: 'B live' });
    return { a, b };
  }

  /**
   * B holds `key` near (a second read is a near hit): it would serve it for 60 s. Polled: the
   * announcement of A's write may still be on its way, and drops what B read meanwhile.
   */
  async function heldNear(b: Peer, key: string, value: string): Promise<void> {
    await eventually(
      async () => {
        if ((await b.call('get', { key })) !== value) return false;
        const hits = await b.call<number>('nearHits');
        await b.call('get', { key });
        return (await b.call<number>('nearHits')) === hits + 1;
      },
      // Roomy: on a loaded machine a late heartbeat turns the bus lagging (near life 1 s) for a while.
      { what: `B holds ${key} near`, timeoutMs: 30_000 },
    );
  }

  const sees = (b: Peer, key: string, value: string | null) =>
    eventually(async () => (await b.call('get', { key })) === value, {
      what: `B sees ${key} = ${value}`,
    });

  it.skipIf(skip)(
    'set, delete and clear in A reach B',
    async () => {
      const { a, b } = await pair(uniqueNamespace('rw'));
      await a.call('set', { key: 'k', value: 'v1' });
      await heldNear(b, 'k', 'v1');
      await a.call('set', { key: 'k', value: 'v2' });
      await sees(b, 'k', 'v2');

      await heldNear(b, 'k', 'v2');
      await a.call('delete', { key: 'k' });
      await sees(b, 'k', null);

      await a.call('set', { key: 'other', value: 'o1' });
      await heldNear(b, 'other', 'o1');
      await a.call('clear');
      await sees(b, 'other', null);
      const coherenceErrors = (await b.call<string[]>('errors')).filter((e) =>
        e.startsWith('coherence'),
      );
      expect(coherenceErrors).toEqual([]);
    },
    60_000,
  );

  it.skipIf(skip)(
    'a cut subscription falls back to the short bound; a gap drops everything',
    async () => {
      const namespace = uniqueNamespace('cut');
      const { a, b } = await pair(namespace);
      await a.call('set', { key: 'k', value: 'v1' });
      await heldNear(b, 'k', 'v1');

      // B's next poll (after the one held now answers) is refused at the connection.
      const cut = env.proxyB.add({ method: 'GET', path: '/topics', fault: { kind: 'reset' } });
      await a.call('set', { key: 'wake', value: 'w' }); // answers B's held poll
      await eventually(async () => (await b.call('state')) === 'reconnecting', {
        what: 'B reconnecting',
      });
      await a.call('set', { key: 'k', value: 'v2' }); // B cannot hear of it
      const started = Date.now();
      await sees(b, 'k', 'v2');
      // Its copy was capped at the short bound (1 s), not kept for the near cache's 60 s.
      expect(Date.now() - started).toBeLessThan(10_000);
      cut.remove();

      // A gap: B's next poll waits while more messages than the topic buffers are published.
      await eventually(async () => (await b.call('state')) === 'live', { what: 'B live again' });
      await heldNear(b, 'k', 'v2');
      const silent = new KeyvMomento({
        client: createClient({
          baseUrl: env.serverA.url,
          apiKey: env.serverA.createApiKey(),
          env: {},
        }),
        namespace,
      }); // no near cache: writes without announcing them
      await silent.set('k', 'v3');
      env.proxyB.add({ method: 'GET', path: '/topics', delayMs: 3000, count: 1 });
      const raw = createClient({
        baseUrl: env.serverA.url,
        apiKey: env.serverA.createApiKey(),
        env: {},
      });
      const topic = coherenceTopicName('keyv', namespace);
      await raw.topics.publish('default-cache', topic, '{"v":1,"o":"wake"}'); // B re-polls, delayed
      // Redis trims a stream only by whole nodes (XADD MAXLEN ~): many more than the buffer.
      const fillers = mode === 'redis' ? 400 : BUFFER + 1;
      for (let i = 0; i < fillers; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, fillers - i) }, () =>
            raw.topics.publish('default-cache', topic, '{"v":1,"o":"filler"}'),
          ),
        );
      }
      await sees(b, 'k', 'v3'); // only the discontinuity can have dropped B's copy
    },
    60_000,
  );

  it.skipIf(skip)(
    'a malformed message is reported once and bounds B short until a clean one',
    async () => {
      const namespace = uniqueNamespace('bad');
      const { b } = await pair(namespace);
      const raw = createClient({
        baseUrl: env.serverA.url,
        apiKey: env.serverA.createApiKey(),
        env: {},
      });
      const topic = coherenceTopicName('keyv', namespace);
      await raw.topics.publish('default-cache', topic, 'not json');
      await raw.topics.publish('default-cache', topic, 'not json either');
      await eventually(async () => (await b.call('state')) === 'suspect', { what: 'B suspect' });
      // Each one reaches onError (the default report would print the cause once).
      await eventually(async () => (await b.call<string[]>('errors')).length === 2, {
        what: 'both reported',
      });
      expect(await b.call('errors')).toEqual([
        'coherence message: MalformedInvalidationError',
        'coherence message: MalformedInvalidationError',
      ]);
      await raw.topics.publish('default-cache', topic, '{"v":1,"o":"someone"}');
      await eventually(async () => (await b.call('state')) === 'live', { what: 'B live' });
    },
    60_000,
  );

  it.skipIf(skip)(
    'topics refused (403) turn coherence off in B, reported once; the cache works',
    async () => {
      const namespace = uniqueNamespace('403');
      const refused = env.proxyB.add({ path: '/topics', fault: { kind: 'status', status: 403 } });
      try {
        const a = startPeer({
          url: env.serverA.url,
          apiKey: env.serverA.createApiKey(),
          namespace,
        });
        const b = startPeer({ url: env.proxyB.url, apiKey: env.serverB.createApiKey(), namespace });
        peers.push(a, b);
        await a.call('set', { key: 'k', value: 'v1' });
        expect(await b.call('get', { key: 'k' })).toBe('v1');
        await eventually(async () => (await b.call('state')) === 'off', { what: 'B off' });
        // One report, from whichever topics call was refused first (the poll or the first heartbeat).
        const reports = await b.call<string[]>('errors');
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatch(/^coherence (subscribe|publish): PermissionError$/);
        await a.call('set', { key: 'k', value: 'v2' });
        await sees(b, 'k', 'v2'); // the short bound
        expect(await b.call<string[]>('errors')).toHaveLength(1);
      } finally {
        refused.remove();
      }
    },
    60_000,
  );
});

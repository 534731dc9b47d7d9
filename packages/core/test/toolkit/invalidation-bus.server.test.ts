/**
 * The invalidation bus over the real local server's Topics: two clients stand for two processes
 * (each client has its own Topics, so each gets its own bus). Cross-process tests with real child
 * processes live in the adapters' suites.
 */
import { startServer } from '@momento-http/server';
import { eventually, useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { PermissionError } from '../../src/client/errors';
import { undiciTransport } from '../../src/node';
import { type CoherenceTarget, InvalidationBus } from '../../src/toolkit/invalidation-bus';
import { sharedInvalidationBus } from '../../src/toolkit/invalidation-buses';
import { MalformedInvalidationError } from '../../src/toolkit/invalidation-message';

const local = useLocalServer({ clientOptions: { transport: undiciTransport() } });

/** A target that records what it is told. */
function recorder() {
  const seen = {
    keys: [] as string[],
    tags: [] as string[],
    clears: 0,
    caps: [] as number[],
    errors: [] as { error: unknown; operation: string }[],
  };
  const target: CoherenceTarget = {
    invalidate: (ids) => seen.keys.push(...ids),
    invalidateTags: (tags) => seen.tags.push(...tags),
    clear: () => seen.clears++,
    capTtl: (ms) => seen.caps.push(ms),
  };
  const onError = (error: unknown, operation: string) => seen.errors.push({ error, operation });
  return { seen, target, onError };
}

/** Messages the server accepted, from its /metrics. */
async function publishes(): Promise<number> {
  const body = await (await fetch(`${local.url}/metrics`)).text();
  return Number(/^momento_http_topic_publishes_total (\S+)$/m.exec(body)?.[1]);
}

let topicCount = 0;
const freshTopic = () => `bus-test-${++topicCount}`;

describe('InvalidationBus', () => {
  it('carries keys, tags and clears to another process, skips its own, and turns live', async () => {
    const topic = freshTopic();
    const a = recorder();
    const b = recorder();
    const busA = sharedInvalidationBus(local.client().topics, 'default-cache', topic);
    const busB = sharedInvalidationBus(local.client().topics, 'default-cache', topic);
    expect(busA).not.toBe(busB);
    const linkA = busA.join(a.target, a.onError);
    const linkB = busB.join(b.target, b.onError);
    expect(linkB.lifeCapMs()).toBe(1000); // not live before its first answer
    await eventually(() => linkA.state === 'live' && linkB.state === 'live', { what: 'live' });
    expect(linkB.lifeCapMs()).toBe(Number.POSITIVE_INFINITY);

    linkA.publish({ keys: ['k1'], tags: ['t1'] });
    await eventually(() => b.seen.keys.includes('k1') && b.seen.tags.includes('t1'), {
      what: 'B told of keys and tags',
    });
    linkA.publish({ clear: true });
    await eventually(() => b.seen.clears === 1, { what: 'B told of the clear' });
    expect(a.seen).toMatchObject({ keys: [], tags: [], clears: 0 }); // its own messages skipped
    linkA.leave();
    linkB.leave();
  });

  it('sends everything published in one tick as one message', async () => {
    const topic = freshTopic();
    const a = recorder();
    const client = local.client();
    const linkA = sharedInvalidationBus(client.topics, 'default-cache', topic).join(a.target);
    await eventually(() => linkA.state === 'live', { what: 'live' });
    const before = await publishes();
    for (let i = 0; i < 100; i++) linkA.publish({ keys: [`k${i}`] });
    const b = recorder();
    const linkB = sharedInvalidationBus(local.client().topics, 'default-cache', topic).join(
      b.target,
    );
    await eventually(() => b.seen.keys.length === 100, { what: 'all 100 keys at B' });
    // A's batch, plus B's own first heartbeat.
    expect((await publishes()) - before).toBeLessThanOrEqual(2);
    linkA.leave();
    linkB.leave();
  });

  it('tells other stores of this process at once, without the topic', () => {
    const topics = { publish: async () => {}, subscribe: async function* () {} };
    const bus = new InvalidationBus(topics, 'c', 't');
    const a = recorder();
    const b = recorder();
    const linkA = bus.join(a.target);
    bus.join(b.target);
    linkA.publish({ keys: ['x'] });
    expect(b.seen.keys).toEqual(['x']);
    expect(a.seen.keys).toEqual([]);
  });

  it('a subscription gone silent turns lagging: entries are capped until it answers again', async () => {
    let now = 0;
    let answer: (() => void) | undefined;
    const topics = {
      publish: async () => {},
      // One answer, then nothing (a poll that hangs), until the test lets another through.
      subscribe: async function* () {
        yield {
          kind: 'item' as const,
          value: '{"v":1,"o":"x"}',
          sequenceNumber: 0,
          sequencePage: 1,
        };
        await new Promise<void>((resolve) => {
          answer = resolve;
        });
        yield {
          kind: 'item' as const,
          value: '{"v":1,"o":"x"}',
          sequenceNumber: 1,
          sequencePage: 1,
        };
        await new Promise(() => {});
      },
    };
    const bus = new InvalidationBus(topics, 'c', 't', { heartbeatMs: 1000, now: () => now });
    const b = recorder();
    const link = bus.join(b.target);
    await eventually(() => link.state === 'live', { what: 'live' });
    expect(link.lifeCapMs()).toBe(Number.POSITIVE_INFINITY);
    now = 2400; // within 2.5 heartbeats
    expect(link.lifeCapMs()).toBe(Number.POSITIVE_INFINITY);
    now = 2600;
    expect(link.lifeCapMs()).toBe(1000);
    expect(link.state).toBe('lagging');
    expect(b.seen.caps).toEqual([1000]);
    answer!();
    await eventually(() => link.state === 'live', { what: 'live again' });
    expect(link.lifeCapMs()).toBe(Number.POSITIVE_INFINITY);
    link.leave();
  });

  it('a malformed message is reported and caps entries until the next clean one', async () => {
    const topic = freshTopic();
    const b = recorder();
    const linkB = sharedInvalidationBus(local.client().topics, 'default-cache', topic).join(
      b.target,
      b.onError,
    );
    await eventually(() => linkB.state === 'live', { what: 'live' });
    const raw = local.client();
    await raw.topics.publish('default-cache', topic, '{"v":99,"o":"someone"}');
    await eventually(() => linkB.state === 'suspect', { what: 'suspect' });
    expect(linkB.lifeCapMs()).toBe(1000);
    expect(b.seen.caps).toEqual([1000]);
    expect(b.seen.errors).toHaveLength(1);
    expect(b.seen.errors[0]!.error).toBeInstanceOf(MalformedInvalidationError);
    expect(b.seen.errors[0]!.operation).toBe('coherence message');
    await raw.topics.publish('default-cache', topic, '{"v":1,"o":"someone","k":["after"]}');
    await eventually(() => b.seen.keys.includes('after'), { what: 'the clean message' });
    expect(linkB.state).toBe('live');
    expect(linkB.lifeCapMs()).toBe(Number.POSITIVE_INFINITY);
    linkB.leave();
  });

  it('topics refused (403) turn coherence off with one report; entries keep the short bound', async () => {
    const proxy = useFaultProxyFor403();
    const b = recorder();
    const client = local.client({ baseUrl: proxy.url });
    const linkB = sharedInvalidationBus(client.topics, 'default-cache', freshTopic()).join(
      b.target,
      b.onError,
    );
    await eventually(() => linkB.state === 'off', { what: 'off' });
    expect(linkB.lifeCapMs()).toBe(1000);
    expect(b.seen.errors).toHaveLength(1);
    expect(b.seen.errors[0]!.error).toBeInstanceOf(PermissionError);
    linkB.publish({ keys: ['ignored'] }); // no publish is attempted once off
    const published = proxy.count({ method: 'POST', path: '/topics' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.count({ method: 'POST', path: '/topics' })).toBe(published);
    linkB.leave();
  });
});

const proxyFor403 = useFaultProxy(local);
function useFaultProxyFor403() {
  proxyFor403.clear();
  proxyFor403.add({ path: '/topics', fault: { kind: 'status', status: 403 } });
  return proxyFor403;
}

describe('InvalidationBus across a server restart', () => {
  it('falls back to the short bound while reconnecting, and a discontinuity clears everything', async () => {
    const signingSecret = 'a signing secret shared by both lives of the server';
    let server = await startServer({ port: 0, signingSecret });
    const port = new URL(server.url).port;
    const apiKey = server.createApiKey();
    const { createClient } = await import('../../src/node');
    const client = createClient({ baseUrl: server.url, apiKey, env: {}, retries: 0 });
    const b = recorder();
    const link = sharedInvalidationBus(client.topics, 'default-cache', 'restart').join(
      b.target,
      b.onError,
    );
    try {
      await eventually(() => link.state === 'live', { what: 'live' });
      await server.close();
      await eventually(() => link.state === 'reconnecting', { what: 'reconnecting' });
      expect(link.lifeCapMs()).toBe(1000);
      expect(b.seen.caps).toContain(1000);
      // The same port, a new process's topics: the page changed.
      server = await startServer({ port: Number(port), signingSecret });
      await eventually(() => b.seen.clears >= 1 && link.state === 'live', {
        what: 'discontinuity after restart',
        timeoutMs: 40_000,
      });
    } finally {
      link.leave();
      await server.close();
    }
  }, 60_000);
});

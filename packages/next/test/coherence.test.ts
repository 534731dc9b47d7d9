/**
 * Coherent near caches between two Next instances (each its own client, so each its own bus and
 * tag states, as two processes have), near `ttlMs` 60 s: a write or a `revalidateTag` in A is seen
 * by B within the poll, where without coherence B would serve its near copy for a minute.
 */
import {
  type CacheStore,
  coherenceTopicName,
  type MomentoClient,
  sharedInvalidationBus,
} from '@momento-http/core';
import { eventually, RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { createIsrHandler } from '../src/isr';
import { appPage, pageCtx, pageSetCtx, tick } from './support';

const local = useLocalServer();

/** An instance's store: recorded (to tell near hits from reads), with its client's topics. */
function recordedStore(client: MomentoClient): RecordingStore & CacheStore {
  return Object.assign(new RecordingStore(client.cache('default-cache')), {
    topics: client.topics,
  });
}

function instance(namespace: string) {
  const client = local.client();
  const store = recordedStore(client);
  const Handler = createIsrHandler({
    store,
    namespace,
    keyPrefix: 'build-1',
    nearCache: { ttlMs: 60_000 },
    onError: () => {},
  });
  const bus = sharedInvalidationBus(
    client.topics,
    'default-cache',
    coherenceTopicName('next', namespace),
  );
  return { handler: new Handler(), store, bus };
}

describe('two Next instances with coherent near caches', () => {
  it("A's writes and revalidateTag reach B's near cache", async () => {
    const namespace = `c${Math.random().toString(36).slice(2)}|`;
    const a = instance(namespace);
    const b = instance(namespace);
    // The engines are built (and join the bus) on first use.
    await Promise.all([a.handler.get('/warm', pageCtx), b.handler.get('/warm', pageCtx)]);
    await eventually(() => a.bus.state === 'live' && b.bus.state === 'live', { what: 'live' });

    await a.handler.set('/c', appPage('<html>v1</html>'), pageSetCtx());
    /** B answers `html` from memory: it would for 60 s. */
    const heldNear = (html: string) =>
      eventually(
        async () => {
          if ((await b.handler.get('/c', pageCtx))?.value?.html !== html) return false;
          const reads = b.store.gets.length;
          const again = await b.handler.get('/c', pageCtx);
          return again?.value?.html === html && b.store.gets.length === reads;
        },
        { what: `B holds ${html} near` },
      );
    await heldNear('<html>v1</html>');

    await a.handler.set('/c', appPage('<html>v2</html>'), pageSetCtx());
    await eventually(
      async () => (await b.handler.get('/c', pageCtx))?.value?.html === '<html>v2</html>',
      {
        what: "A's write at B",
      },
    );
    await heldNear('<html>v2</html>');

    await tick();
    await a.handler.revalidateTag('isr');
    await eventually(async () => (await b.handler.get('/c', pageCtx)) === null, {
      what: "A's revalidateTag at B",
    });
  });

  it("coherence 'ttl', or a store without topics, keeps near entries without subscribing", async () => {
    const namespace = `t${Math.random().toString(36).slice(2)}|`;
    const client = local.client();
    const Plain = createIsrHandler({
      store: new RecordingStore(client.cache('default-cache')), // no topics
      namespace,
      nearCache: { ttlMs: 60_000 },
    });
    const Ttl = createIsrHandler({ client, namespace, nearCache: { coherence: 'ttl' } });
    const subscribe = vi.spyOn(client.topics, 'subscribe');
    const publish = vi.spyOn(client.topics, 'publish');
    const plain = new Plain();
    const ttl = new Ttl();
    for (const handler of [plain, ttl]) {
      await handler.set('/x', appPage(), pageSetCtx());
      expect(await handler.get('/x', pageCtx)).not.toBeNull();
    }
    expect(subscribe).not.toHaveBeenCalled();
    expect(publish).not.toHaveBeenCalled();
    expect(() => createIsrHandler({ nearCache: { coherence: 'pubsub' as 'ttl' } })).toThrow(
      /nearCache.coherence/,
    );
  });
});

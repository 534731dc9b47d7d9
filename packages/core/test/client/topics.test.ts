/**
 * `client.topics` against the real local server (memory mode), on the fetch transport and on
 * undici: publish, subscribe, typed errors, discontinuities, abort, reconnect and resume.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@momento-http/server';
import { skipWithoutRedis, startRedis } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  CacheNotFoundError,
  type ClientOptions,
  createClient,
  LimitExceededError,
  type MomentoError,
  PermissionError,
  ServerError,
  type TopicEvent,
} from '../../src/index';
import { undiciTransport } from '../../src/node';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, faults: true, topicBufferMessages: 3 });
});
afterAll(() => server.close());

const clientFor = (target: { url: string }, apiKey: string, extra: ClientOptions = {}) =>
  createClient({ baseUrl: target.url, apiKey, env: {}, ...extra });

/** Open long polls, from the server's own gauge: how tests know a poll is held without sleeping. */
async function openPolls(target: { url: string }): Promise<number> {
  const body = await (await fetch(`${target.url}/metrics`)).text();
  return Number(/^momento_http_topic_subscriptions (\S+)$/m.exec(body)?.[1]);
}
async function untilOpenPolls(target: { url: string }, count: number): Promise<void> {
  while ((await openPolls(target)) !== count);
}

const transports = {
  fetch: {} as ClientOptions,
  undici: { transport: undiciTransport() } as ClientOptions,
};

describe.each(Object.entries(transports))('on the %s transport', (_name, transport) => {
  it('publishes text and bytes and subscribes to them in order', async () => {
    const client = clientFor(server, server.createApiKey(), transport);
    const topic = `round-trip-${_name}`;
    await client.topics.publish('default-cache', topic, 'hello world');
    await client.topics.publish('default-cache', topic, new Uint8Array([0, 1, 255]));
    const controller = new AbortController();
    const events: TopicEvent[] = [];
    for await (const event of client.topics.subscribe('default-cache', topic, {
      signal: controller.signal,
    })) {
      events.push(event);
      if (events.length === 2) controller.abort();
    }
    const page = (events[0] as { sequencePage: number }).sequencePage;
    expect(page).toBeGreaterThan(0);
    expect(events).toEqual([
      { kind: 'item', value: 'hello world', sequenceNumber: 0, sequencePage: page },
      { kind: 'item', value: new Uint8Array([0, 1, 255]), sequenceNumber: 1, sequencePage: page },
    ]);
  });

  it('ends on abort while a poll is held, leaving no request behind', async () => {
    const client = clientFor(server, server.createApiKey(), transport);
    const controller = new AbortController();
    const iterator = client.topics.subscribe('default-cache', `quiet-${_name}`, {
      signal: controller.signal,
    });
    const next = iterator.next();
    await untilOpenPolls(server, 1);
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    await untilOpenPolls(server, 0);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});

describe('typed errors', () => {
  it('publish: 401, 403 (read-only key), 404 Cache Not Found, 429', async () => {
    const bad = clientFor(server, 'not-a-key', { retries: 0 });
    await expect(bad.topics.publish('default-cache', 't', 'm')).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    const readonly = clientFor(server, server.createApiKey({ role: 'readonly' }));
    await expect(readonly.topics.publish('default-cache', 't', 'm')).rejects.toBeInstanceOf(
      PermissionError,
    );
    const client = clientFor(server, server.createApiKey());
    await expect(client.topics.publish('missing', 't', 'm')).rejects.toBeInstanceOf(
      CacheNotFoundError,
    );
    const limited = await startServer({ port: 0, rateLimit: { opsPerSecond: 1, burst: 1 } });
    try {
      const c = clientFor(limited, limited.createApiKey());
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map(() => c.topics.publish('default-cache', 't', 'm')),
      );
      const failure = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(LimitExceededError);
    } finally {
      await limited.close();
    }
  });

  it('subscribe: a write-only key and a missing cache end the iterator with the typed error', async () => {
    const writeonly = clientFor(server, server.createApiKey({ role: 'writeonly' }));
    await expect(writeonly.topics.subscribe('default-cache', 't').next()).rejects.toBeInstanceOf(
      PermissionError,
    );
    const client = clientFor(server, server.createApiKey());
    await expect(client.topics.subscribe('missing', 't').next()).rejects.toBeInstanceOf(
      CacheNotFoundError,
    );
  });

  it('refuses bad arguments before any request', () => {
    const client = clientFor(server, server.createApiKey());
    expect(() => client.topics.subscribe('default-cache', '')).toThrow(/Topic name/);
    expect(() =>
      client.topics.subscribe('default-cache', 't', {
        resumeAt: { sequenceNumber: -1, sequencePage: 0 },
      }),
    ).toThrow(/resumeAt/);
    expect(() => client.topics.subscribe('default-cache', 't', { pollTimeoutMs: 0 })).toThrow(
      /pollTimeoutMs/,
    );
    return expect(
      client.topics.publish('default-cache', 't', 42 as unknown as string),
    ).rejects.toThrow(/string or a Uint8Array/);
  });
});

describe('discontinuities and resuming', () => {
  it('reports messages the server no longer holds as a discontinuity, then the rest', async () => {
    const client = clientFor(server, server.createApiKey());
    for (const m of ['a', 'b', 'c', 'd', 'e'])
      await client.topics.publish('default-cache', 'gap', m);
    const first = await client.topics.subscribe('default-cache', 'gap').next();
    const page = (first.value as { sequencePage: number }).sequencePage;
    const controller = new AbortController();
    const events: TopicEvent[] = [];
    for await (const event of client.topics.subscribe('default-cache', 'gap', {
      signal: controller.signal,
      resumeAt: { sequenceNumber: 1, sequencePage: page },
    })) {
      events.push(event);
      if (events.length === 4) controller.abort();
    }
    expect(events[0]).toEqual({
      kind: 'discontinuity',
      lastSequenceNumber: 0,
      newSequenceNumber: 2,
      newSequencePage: page,
    });
    expect(events.slice(1).map((e) => (e as { value: string }).value)).toEqual(['c', 'd', 'e']);
  });

  it('rides out a 503 with backoff and resumes after the last item it delivered', async () => {
    const urls: string[] = [];
    const client = clientFor(server, server.createApiKey(), {
      hooks: { onRequest: (event) => void urls.push(event.url) },
    });
    const errors: MomentoError[] = [];
    const controller = new AbortController();
    const iterator = client.topics.subscribe('default-cache', 'resume', {
      signal: controller.signal,
      onError: (error) => errors.push(error),
    });
    await client.topics.publish('default-cache', 'resume', 'one');
    const one = await iterator.next();
    const page = (one.value as { sequencePage: number }).sequencePage;
    server.faults.add({ path: '/topics/', method: 'GET', status: 503, count: 1 });
    const two = iterator.next();
    await client.topics.publish('default-cache', 'resume', 'two');
    expect((await two).value).toEqual({
      kind: 'item',
      value: 'two',
      sequenceNumber: 1,
      sequencePage: page,
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ServerError);
    const polls = urls.filter((u) => u.includes('/topics/default-cache/resume?'));
    expect(polls.at(-1)).toContain(`sequence_number=1&sequence_page=${page}`);
    expect(polls.at(-2)).toContain(`sequence_number=1&sequence_page=${page}`);
    controller.abort();
  });

  it('reconnects after the server goes away; a restarted server is a new page', async () => {
    const first = await startServer({ port: 0 });
    const port = Number(new URL(first.url).port);
    const secret = 'a-secret-for-both-lives-of-the-server';
    await first.close();
    let live = await startServer({ port, signingSecret: secret });
    const apiKey = live.createApiKey();
    const client = clientFor(live, apiKey);
    const errors: MomentoError[] = [];
    let sawError: () => void = () => {};
    const errored = new Promise<void>((resolve) => {
      sawError = resolve;
    });
    const controller = new AbortController();
    const iterator = client.topics.subscribe('default-cache', 'restart', {
      signal: controller.signal,
      onError: (error) => {
        errors.push(error);
        sawError();
      },
    });
    try {
      await client.topics.publish('default-cache', 'restart', 'before');
      const before = await iterator.next();
      const oldPage = (before.value as { sequencePage: number }).sequencePage;
      const pending = iterator.next();
      await untilOpenPolls(live, 1);
      await live.close();
      await errored;
      live = await startServer({ port, signingSecret: secret });
      await client.topics.publish('default-cache', 'restart', 'after');
      const gap = (await pending).value as TopicEvent;
      expect(gap.kind).toBe('discontinuity');
      expect(gap).toMatchObject({ lastSequenceNumber: 0, newSequenceNumber: 0 });
      expect((gap as { newSequencePage: number }).newSequencePage).not.toBe(oldPage);
      expect((await iterator.next()).value).toMatchObject({ kind: 'item', value: 'after' });
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      controller.abort();
      await iterator.return?.();
      await live.close();
    }
  });
});

describe('abort during a reconnect backoff', () => {
  it('ends the iterator while it waits to reconnect to a server that is gone', async () => {
    const gone = await startServer({ port: 0 });
    const apiKey = gone.createApiKey();
    await gone.close();
    const controller = new AbortController();
    const errors: MomentoError[] = [];
    const iterator = clientFor(gone, apiKey).topics.subscribe('default-cache', 't', {
      signal: controller.signal,
      onError: (error, retryInMs) => {
        errors.push(error);
        expect(retryInMs).toBeGreaterThan(0);
        controller.abort(); // during the backoff that follows
      },
    });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('CONNECTION');
  });
});

describe('connections', () => {
  it('on undici, a held long poll never takes the connection cache calls use', async () => {
    const client = clientFor(server, server.createApiKey(), {
      transport: undiciTransport({ connections: 1 }),
    });
    const controller = new AbortController();
    const iterator = client.topics.subscribe('default-cache', 'held', {
      signal: controller.signal,
    });
    const next = iterator.next();
    await untilOpenPolls(server, 1);
    // With one shared connection this would queue behind a 30-second poll and time out.
    await client.set('default-cache', 'k', 'v', { timeoutMs: 2000 });
    expect(
      new TextDecoder().decode(await client.get('default-cache', 'k', { timeoutMs: 2000 })),
    ).toBe('v');
    controller.abort();
    expect((await next).done).toBe(true);
  });
});

describe.skipIf(skipWithoutRedis('core topics in Redis mode'))(
  'over one Redis, two servers',
  () => {
    it('a subscriber on one server receives what a client publishes on the other', async () => {
      const redis = await startRedis();
      const secret = 'core-topics-redis-secret';
      const one = await startServer({ port: 0, redisUrl: redis.url, signingSecret: secret });
      const two = await startServer({ port: 0, redisUrl: redis.url, signingSecret: secret });
      const controller = new AbortController();
      try {
        const apiKey = one.createApiKey();
        const publisher = clientFor(one, apiKey);
        const subscriber = clientFor(two, apiKey, { transport: undiciTransport() });
        await publisher.topics.publish('default-cache', 'across', 'first');
        const iterator = subscriber.topics.subscribe('default-cache', 'across', {
          signal: controller.signal,
        });
        const first = (await iterator.next()).value as TopicEvent;
        expect(first).toMatchObject({ kind: 'item', value: 'first', sequenceNumber: 0 });
        const second = iterator.next();
        await publisher.topics.publish('default-cache', 'across', new Uint8Array([7]));
        expect((await second).value).toMatchObject({
          value: new Uint8Array([7]),
          sequenceNumber: 1,
        });
      } finally {
        controller.abort();
        await one.close();
        await two.close();
        await redis.stop();
      }
    });
  },
);

describe('a subscription and the process it runs in', () => {
  /** Runs the subscriber fixture; resolves with its exit code and output once it exits. */
  function runSubscriber(env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/client/fixtures/subscriber.ts'],
      {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: {
          ...process.env,
          MOMENTO_ENDPOINT: server.url,
          MOMENTO_API_KEY: server.createApiKey(),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = once(child, 'exit').then(([code]) => ({ code, output }));
    return { child, exited };
  }

  it('background: true lets a process that is otherwise done exit', {
    timeout: 30_000,
  }, async () => {
    const { exited } = runSubscriber({ BACKGROUND: '1' });
    expect(await exited).toEqual({ code: 0, output: 'subscribed\n' });
  });

  it('by default keeps the process running while it waits for items', {
    timeout: 30_000,
  }, async () => {
    const before = await openPolls(server);
    const { exited } = runSubscriber({});
    while ((await openPolls(server)) <= before); // its poll is held: it waits for an item
    await clientFor(server, server.createApiKey()).topics.publish(
      'default-cache',
      'exit-test',
      'x',
    );
    expect(await exited).toEqual({ code: 0, output: 'subscribed\nitem\n' });
  });
});

/**
 * Topics in Redis mode: two server processes over one Redis (this test's in-process server and a
 * CLI process) share topics through Redis Streams; pages and discontinuities follow the reference.
 */
import { type RunningRedis, skipWithoutRedis, startRedis } from '@momento-http/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { startCli } from './cli-process.js';
import { call, start } from './helpers.js';

const SECRET = 'topics-redis-test-secret-shared-by-both';

describe.skipIf(skipWithoutRedis('topics in Redis mode'))('topics over one Redis', () => {
  let redis: RunningRedis;
  let a: RunningServer;
  let b: Awaited<ReturnType<typeof startCli>>;
  let key: string;
  beforeAll(async () => {
    redis = await startRedis();
    a = await start({ redisUrl: redis.url, signingSecret: SECRET, topicLongPollMs: 300 });
    b = await startCli([
      '--port',
      '0',
      '--redis-url',
      redis.url,
      '--secret',
      SECRET,
      '--topic-buffer',
      '3',
      '--topic-long-poll',
      '300',
    ]);
    key = a.createApiKey();
  }, 30_000);
  afterAll(async () => {
    await b?.stop();
    await a?.close();
    await redis?.stop();
  });

  const bUrl = () => ({ url: b.endpoint });
  const publish = (server: { url: string }, topic: string, body: string) =>
    call(server, `/topics/default-cache/${topic}`, {
      method: 'POST',
      key,
      body,
      headers: { 'content-type': 'text/plain' },
    });
  const poll = async (server: { url: string }, topic: string, number: number, page: number) => {
    const reply = await call(
      server,
      `/topics/default-cache/${topic}?sequence_number=${number}&sequence_page=${page}`,
      { key },
    );
    expect(reply.status).toBe(200);
    return JSON.parse(reply.body) as { items: Record<string, Record<string, unknown>>[] };
  };

  it('publishes on one process and delivers on the other, waiting subscribers included', async () => {
    expect((await publish(a, 'shared', 'from a')).status).toBe(204);
    const first = await poll(bUrl(), 'shared', 0, 0);
    const page = first.items[0]!.item!.sequence_page as number;
    expect(first.items[0]).toEqual({
      item: { topic_sequence_number: 0, sequence_page: page, value: { text: 'from a' } },
    });
    // A poll held on A (blocked in XREAD) is answered by a publish on B.
    const held = poll(a, 'shared', 1, page);
    let answered = false;
    void held.then(() => {
      answered = true;
    });
    while (!answered) {
      // Published until the held poll answers: no sleep, and no guess about when it blocked.
      expect((await publish(bUrl(), 'shared', 'from b')).status).toBe(204);
      await new Promise((r) => setImmediate(r));
    }
    const got = await held;
    expect(got.items[0]).toEqual({
      item: { topic_sequence_number: 1, sequence_page: page, value: { text: 'from b' } },
    });
  });

  it('answers a discontinuity for messages trimmed from the stream', async () => {
    // B keeps 3 messages per topic; MAXLEN ~ trims whole stream nodes (100 entries): publish well
    // past one.
    for (let i = 0; i < 250; i++) await publish(bUrl(), 'trimmed', `m${i}`);
    const page = (await poll(a, 'trimmed', 249, 0)).items[0]!.item!.sequence_page as number;
    const reply = await poll(bUrl(), 'trimmed', 1, page);
    const gap = reply.items[0]!.discontinuity!;
    expect(gap.last_topic_sequence).toBe(0);
    expect(gap.new_sequence_page).toBe(page);
    expect(gap.new_topic_sequence).toBeGreaterThan(1);
    expect(reply.items[1]!.item!.topic_sequence_number).toBe(gap.new_topic_sequence);
  });

  it('gives a flushed and recreated topic a new page, so subscribers see a discontinuity', async () => {
    await publish(a, 'flushed', 'old');
    const page = (await poll(a, 'flushed', 0, 0)).items[0]!.item!.sequence_page as number;
    const direct = new Redis(redis.url);
    try {
      await direct.flushall();
    } finally {
      direct.disconnect();
    }
    await publish(bUrl(), 'flushed', 'new');
    const reply = await poll(a, 'flushed', 1, page);
    const gap = reply.items[0]!.discontinuity!;
    expect(gap.new_sequence_page).not.toBe(page);
    expect(gap).toMatchObject({ last_topic_sequence: 0, new_topic_sequence: 0 });
    expect(reply.items[1]!.item!.value).toEqual({ text: 'new' });
  });

  it('answers an empty list when the long poll runs out, and counts the publishes', async () => {
    expect(await poll(a, 'silent', 0, 0)).toEqual({ items: [] });
    const metrics = (await call(a, '/metrics')).body;
    expect(metrics).toMatch(/^momento_http_topic_publishes_total [1-9]/m);
  });
});

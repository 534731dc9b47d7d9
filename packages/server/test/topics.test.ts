/** Topics over raw HTTP in memory mode: every status and the discontinuity rules of the reference. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

/** One `item` element of the reference's JSON. */
interface WireItem {
  item: { topic_sequence_number: number; sequence_page: number; value: { text?: string } };
}

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({
    caches: ['default-cache', 'other'],
    topicBufferMessages: 3,
    topicLongPollMs: 200,
  });
  key = server.createApiKey();
});
afterAll(() => server.close());

const publish = (topic: string, body: string | Buffer, type = 'text/plain', k = key) =>
  call(server, `/topics/default-cache/${topic}`, {
    method: 'POST',
    key: k,
    body: body as BodyInit,
    headers: { 'content-type': type },
  });
const poll = async (topic: string, number: number, page: number, k = key) => {
  const reply = await call(
    server,
    `/topics/default-cache/${topic}?sequence_number=${number}&sequence_page=${page}`,
    { key: k },
  );
  return { ...reply, json: reply.status === 200 ? JSON.parse(reply.body) : undefined };
};

describe('publish and subscribe', () => {
  it('publishes with 204 and delivers text and binary items in order', async () => {
    expect((await publish('t1', 'hello world')).status).toBe(204);
    expect((await publish('t1', Buffer.from([0, 255]), 'application/octet-stream')).status).toBe(
      204,
    );
    const reply = await poll('t1', 0, 0);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    const [first, second] = reply.json.items;
    const page = first.item.sequence_page;
    expect(page).toBeGreaterThan(0);
    expect(first).toEqual({
      item: { topic_sequence_number: 0, sequence_page: page, value: { text: 'hello world' } },
    });
    expect(second.item).toEqual({
      topic_sequence_number: 1,
      sequence_page: page,
      value: { binary: Buffer.from([0, 255]).toString('base64') },
    });
    // Resuming after the last item waits; a publish answers the waiting poll.
    const waiting = poll('t1', 2, page);
    await publish('t1', 'third');
    expect((await waiting).json.items).toEqual([
      { item: { topic_sequence_number: 2, sequence_page: page, value: { text: 'third' } } },
    ]);
  });

  it('answers an empty list when the long poll runs out', async () => {
    const reply = await poll('quiet', 0, 0);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ items: [] });
  });

  it('sends a discontinuity when asked for messages the bounded buffer dropped', async () => {
    for (const m of ['a', 'b', 'c', 'd', 'e']) await publish('gap', m);
    const page = (await poll('gap', 4, 0)).json.items[0].item.sequence_page;
    const reply = await poll('gap', 1, page);
    expect(reply.json.items[0]).toEqual({
      discontinuity: { last_topic_sequence: 0, new_topic_sequence: 2, new_sequence_page: page },
    });
    expect(reply.json.items.slice(1).map((i: WireItem) => i.item.value.text)).toEqual([
      'c',
      'd',
      'e',
    ]);
  });

  it('sends a discontinuity when the page changed (a restart, or a page from elsewhere)', async () => {
    await publish('paged', 'x');
    const reply = await poll('paged', 7, 12345);
    const page = reply.json.items[0].discontinuity.new_sequence_page;
    expect(page).not.toBe(12345);
    expect(reply.json.items[0]).toEqual({
      discontinuity: { last_topic_sequence: 6, new_topic_sequence: 0, new_sequence_page: page },
    });
    expect(reply.json.items[1].item.value.text).toBe('x');
  });

  it('sends a discontinuity for a number beyond the next one on the same page', async () => {
    await publish('ahead', 'x');
    const page = (await poll('ahead', 0, 0)).json.items[0].item.sequence_page;
    const reply = await poll('ahead', 9, page);
    expect(reply.json.items).toEqual([
      { discontinuity: { last_topic_sequence: 8, new_topic_sequence: 1, new_sequence_page: page } },
    ]);
  });

  it('a new subscriber (page 0) starts at the oldest message kept, without a discontinuity', async () => {
    for (const m of ['a', 'b', 'c', 'd']) await publish('fresh', m);
    const reply = await poll('fresh', 0, 0);
    expect(reply.json.items.map((i: WireItem) => i.item.topic_sequence_number)).toEqual([1, 2, 3]);
  });
});

describe('statuses', () => {
  it('400: token twice, header and token, bad sequence numbers, bad content type, bad UTF-8', async () => {
    const both = await call(server, `/topics/default-cache/t?token=${key}`, { key });
    expect(both.status).toBe(400);
    const twice = await call(server, `/topics/default-cache/t?token=a&token=b`);
    expect(twice.status).toBe(400);
    expect((await call(server, '/topics/default-cache/t?sequence_number=-1', { key })).status).toBe(
      400,
    );
    expect((await call(server, '/topics/default-cache/t?sequence_page=x', { key })).status).toBe(
      400,
    );
    const json = await publish('t', '{}', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body).toMatch(/text\/plain/);
    expect((await publish('t', Buffer.from([0xff, 0xfe]), 'text/plain')).status).toBe(400);
    expect((await publish('x'.repeat(256), 'm')).status).toBe(400);
  });

  it('401 without a key or with a bad one; the token query parameter is accepted', async () => {
    const missing = await call(server, '/topics/default-cache/t', { method: 'POST', body: 'm' });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatch(/token query parameter/);
    expect((await publish('t', 'm', 'text/plain', 'garbage')).status).toBe(401);
    const viaQuery = await call(
      server,
      `/topics/default-cache/tq?token=${encodeURIComponent(key)}`,
      {
        method: 'POST',
        body: 'm',
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(viaQuery.status).toBe(204);
  });

  it('403: read-only keys subscribe but do not publish; write-only keys publish but do not subscribe', async () => {
    const readonly = server.createApiKey({ role: 'readonly' });
    const writeonly = server.createApiKey({ role: 'writeonly' });
    const otherCache = server.createApiKey({ role: 'readwrite', cache: 'other' });
    const prefixed = server.createApiKey({ role: 'readwrite', keyPrefix: 'app1:' });
    expect((await publish('ro', 'm', 'text/plain', readonly)).status).toBe(403);
    expect((await publish('ro', 'm', 'text/plain', writeonly)).status).toBe(204);
    expect((await poll('ro', 0, 0, readonly)).status).toBe(200);
    expect((await poll('ro', 0, 0, writeonly)).status).toBe(403);
    expect((await publish('ro', 'm', 'text/plain', otherCache)).status).toBe(403);
    expect((await publish('ro', 'm', 'text/plain', prefixed)).status).toBe(403);
    expect((await publish('app1:ro', 'm', 'text/plain', prefixed)).status).toBe(204);
  });

  it('404 Cache Not Found for an unknown cache; 404 for a malformed path; 405 for other methods', async () => {
    const reply = await call(server, '/topics/nope/t', { key });
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('Cache Not Found');
    expect((await call(server, '/topics/default-cache', { key })).status).toBe(404);
    expect((await call(server, '/topics/default-cache/a/b', { key })).status).toBe(404);
    const put = await call(server, '/topics/default-cache/t', { method: 'PUT', key, body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });

  it('413 for a message over the item limit', async () => {
    const small = await start({ maxItemBytes: 10 });
    try {
      const reply = await call(small, '/topics/default-cache/t', {
        method: 'POST',
        key: small.createApiKey(),
        body: 'x'.repeat(11),
        headers: { 'content-type': 'text/plain' },
      });
      expect(reply.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('429 under the rate limit, as on the cache API', async () => {
    const limited = await start({ rateLimit: { opsPerSecond: 1, burst: 1 } });
    try {
      const k = limited.createApiKey();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await call(limited, '/topics/default-cache/t', {
              method: 'POST',
              key: k,
              body: 'm',
              headers: { 'content-type': 'text/plain' },
            })
          ).status,
        );
      expect(statuses).toContain(429);
    } finally {
      await limited.close();
    }
  });
});

describe('lifecycle and metrics', () => {
  it('counts publishes, deliveries and open subscriptions in /metrics', async () => {
    const metric = async (name: string) => {
      const body = (await call(server, '/metrics')).body;
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1]);
    };
    const before = await metric('momento_http_topic_publishes_total');
    const delivered = await metric('momento_http_topic_deliveries_total');
    const waiting = poll('metered', 0, 0);
    // The poll is open once the gauge says so: polled, not slept on.
    while ((await metric('momento_http_topic_subscriptions')) < 1);
    await publish('metered', 'm');
    await waiting;
    expect(await metric('momento_http_topic_publishes_total')).toBe(before + 1);
    expect(await metric('momento_http_topic_deliveries_total')).toBe(delivered + 1);
    expect(await metric('momento_http_topic_subscriptions')).toBe(0);
  });

  it('answers a held long poll at once when the server closes', async () => {
    const other = await start({ topicLongPollMs: 600_000 });
    const closing = Date.now();
    const waiting = call(other, '/topics/default-cache/t', { key: other.createApiKey() });
    const metric = async () =>
      Number(
        /^momento_http_topic_subscriptions (\S+)$/m.exec((await call(other, '/metrics')).body)?.[1],
      );
    while ((await metric()) < 1);
    await other.close();
    const reply = await waiting;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ items: [] });
    // Not a timing goal: well under the 2 s after which shutdown cuts connections by force.
    expect(Date.now() - closing).toBeLessThan(1500);
  });
});

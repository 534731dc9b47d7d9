/**
 * Topics in Redis Streams, shared by every server process over one Redis (or Cluster).
 *
 * - A topic is a stream of entries with explicit ids `<n+1>-0` for message number `n` (an id must
 *   be above `0-0`), so sequence numbers are dense and "messages from n on" is `XRANGE`/`XREAD`
 *   from id `n-0`. `XADD … MAXLEN ~` bounds it the cheap way: at least the configured count stays.
 * - The page is an epoch kept next to the stream (a hash with `page` and `next`), made from Redis'
 *   clock when the hash is missing: a flushed, expired or evicted topic gets a new page on its next
 *   publish, so subscribers see a discontinuity instead of silently restarting at 0.
 * - Numbering and appending happen in one Lua script: publishes from several processes never race.
 * - A long poll blocks with `XREAD BLOCK` on a connection of its own, never on the connection cache
 *   commands use (a blocked connection answers nothing else).
 *
 * Keys share a hash tag per topic (`momento-http:topic:{<cache>:<topic>}:…`), so on a Cluster the
 * script's keys live in one slot.
 */
import type { Cluster, Redis } from 'ioredis';
import {
  startFor,
  type TopicBatch,
  type TopicMessage,
  type TopicPosition,
  type TopicStore,
} from './types.js';

/** Topic state expires a day after its last publish (then a publish starts a new page). */
const TOPIC_TTL_SECONDS = 86_400;
/** Messages per answer; a subscriber further behind gets the rest on its next poll. */
const MAX_BATCH = 1000;
/** One `XREAD BLOCK` step: a poll that ends (answered, timed out, client gone) frees its connection within this. */
const BLOCK_STEP_MS = 1000;

const PUBLISH = `
local page = redis.call('HGET', KEYS[1], 'page')
if not page then
  local t = redis.call('TIME')
  page = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'page', page, 'next', 0)
end
local n = redis.call('HINCRBY', KEYS[1], 'next', 1) - 1
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], (n + 1) .. '-0', 'v', ARGV[1], 't', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return n`;

type Client = Redis | Cluster;
type Entry = [id: string, fields: (string | Buffer)[]];

const topicKeys = (cache: string, topic: string) => {
  const base = `momento-http:topic:{${cache}:${topic}}:`;
  return { meta: `${base}meta`, stream: `${base}stream` };
};

const sequenceOf = (id: string | Buffer): number => Number(String(id).split('-')[0]) - 1;

function toMessage([id, fields]: Entry): TopicMessage {
  let value: Buffer = Buffer.alloc(0);
  let text = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = String(fields[i]);
    if (name === 'v') value = fields[i + 1] as Buffer;
    else if (name === 't') text = String(fields[i + 1]) === '1';
  }
  return { sequenceNumber: sequenceOf(id), value, text };
}

export class RedisTopicStore implements TopicStore {
  readonly #redis: Client;
  readonly #bufferMessages: number;
  /** Blocking connections not in use right now. */
  readonly #idle: Client[] = [];
  readonly #all = new Set<Client>();
  #closed = false;
  waiting = 0;

  constructor(redis: Client, bufferMessages: number) {
    this.#redis = redis;
    this.#bufferMessages = bufferMessages;
  }

  async publish(cache: string, topic: string, value: Buffer, text: boolean): Promise<void> {
    const { meta, stream } = topicKeys(cache, topic);
    await this.#redis
      .eval(
        PUBLISH,
        2,
        meta,
        stream,
        value,
        text ? '1' : '0',
        this.#bufferMessages,
        TOPIC_TTL_SECONDS,
      )
      .catch(unavailable);
  }

  async read(
    cache: string,
    topic: string,
    from: TopicPosition,
    wait: AbortSignal,
  ): Promise<TopicBatch> {
    const keys = topicKeys(cache, topic);
    for (;;) {
      const found = await this.#collect(keys, from);
      if (found.batch || wait.aborted || this.#closed)
        return found.batch ?? { page: found.page, messages: [] };
      this.waiting++;
      try {
        await this.#waitForEntry(keys.stream, found.next, wait);
      } finally {
        this.waiting--;
      }
    }
  }

  /** What is there for `from` now; else the page and the number the next message will get. */
  async #collect(
    keys: { meta: string; stream: string },
    from: TopicPosition,
  ): Promise<{ batch?: TopicBatch; page: number; next: number }> {
    const [[, meta], [, first]] = (await this.#redis
      .multi()
      .hmget(keys.meta, 'page', 'next')
      .xrange(keys.stream, '-', '+', 'COUNT', 1)
      .exec()
      .catch(unavailable)) as [[unknown, (string | null)[]], [unknown, Entry[]]];
    if (meta[0] == null) return { page: 0, next: 0 }; // never published (or expired): wait
    const page = Number(meta[0]);
    const next = Number(meta[1]);
    const oldest = first.length ? sequenceOf(first[0]![0]) : next;
    const { start, gap } = startFor(from, page, oldest, next);
    const entries = (await this.#redis
      .xrangeBuffer(keys.stream, `${start + 1}-0`, '+', 'COUNT', MAX_BATCH)
      .catch(unavailable)) as unknown as Entry[];
    const messages = entries.map(toMessage);
    // Trimmed between the two reads: what was asked for is gone after all.
    const firstSeq = messages[0]?.sequenceNumber;
    const lost =
      gap === undefined && from.sequencePage !== 0 && firstSeq !== undefined && firstSeq > start
        ? { lastSequence: from.sequenceNumber - 1, newSequence: firstSeq }
        : gap;
    if (lost === undefined && messages.length === 0) return { page, next };
    return {
      batch: lost ? { page, discontinuity: lost, messages } : { page, messages },
      page,
      next,
    };
  }

  /** Resolves once the stream holds message `next` (or later), or `wait` aborts. */
  async #waitForEntry(stream: string, next: number, wait: AbortSignal): Promise<void> {
    const connection = this.#idle.pop() ?? this.#connect();
    const stop = aborted(wait);
    try {
      while (!wait.aborted && !this.#closed) {
        const result = await Promise.race([
          connection.xread('COUNT', 1, 'BLOCK', BLOCK_STEP_MS, 'STREAMS', stream, `${next}-0`),
          stop,
        ]);
        if (result) return;
      }
    } catch (error) {
      if (!this.#closed) unavailable(error);
    } finally {
      this.#release(connection);
    }
  }

  #connect(): Client {
    const connection = this.#redis.duplicate();
    connection.on('error', () => {});
    this.#all.add(connection);
    return connection;
  }

  /** Back to the pool once its `XREAD` step is over (an abandoned step finishes within BLOCK_STEP_MS). */
  #release(connection: Client): void {
    if (this.#closed) return;
    const ready = () => {
      if (!this.#closed) this.#idle.push(connection);
    };
    // ioredis answers commands in order: PING returns once the pending XREAD has.
    connection.ping().then(ready, () => {
      this.#all.delete(connection);
      connection.disconnect();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const connection of this.#all) connection.disconnect();
    this.#all.clear();
    this.#idle.length = 0;
  }
}

/** Resolves `null` when the signal aborts (then the waiter stops; the XREAD step runs out). */
const aborted = (signal: AbortSignal): Promise<null> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve(null);
    else signal.addEventListener('abort', () => resolve(null), { once: true });
  });

/** Marks a Redis failure so the protocol answers 503 instead of 500. */
const unavailable = (error: unknown): never => {
  throw Object.assign(new Error(`redis: ${(error as Error).message}`, { cause: error }), {
    storageUnavailable: true,
  });
};

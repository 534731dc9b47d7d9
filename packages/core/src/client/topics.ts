/**
 * Momento Topics: `publish` (`POST /topics/{cache}/{topic}`) and `subscribe`, a long poll
 * (`GET /topics/{cache}/{topic}?sequence_number=&sequence_page=`) turned into an async iterable
 * that resumes where it stopped, rides out failures with jittered backoff and ends on abort.
 */
import { CallAbort } from './abort';
import { InvalidArgumentError, MomentoError, TimeoutError } from './errors';
import { namePath, utf8 } from './keys';
import { type RequestContext, send } from './request';
import { sleep } from './retry';
import type { PublishOptions, SubscribeOptions, TopicEvent, TopicPosition } from './topic-types';
import { parseTopicAnswer } from './topic-wire';

/** Longer than the server's hold (30 s on the local server), so a quiet topic is not an error. */
export const DEFAULT_POLL_TIMEOUT_MS = 65_000;
/** Reconnect backoff: first step and cap. A dead server is retried at most every 30 s. */
const RECONNECT_BASE_MS = 100;
const RECONNECT_MAX_MS = 30_000;

/** Equal-jitter backoff (half to all of the step), so subscribers cut off together spread out. */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const step = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** failures);
  return Math.round(step / 2 + random() * (step / 2));
}

const isCount = (n: unknown): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** `client.topics`: publish and subscribe on any cache's topics. */
export class Topics {
  readonly #ctx: RequestContext;
  readonly #baseUrl: string;
  readonly #textHeaders: Record<string, string>;
  readonly #bytesHeaders: Record<string, string>;

  constructor(ctx: RequestContext, baseUrl: string) {
    this.#ctx = ctx;
    this.#baseUrl = baseUrl;
    this.#textHeaders = { ...ctx.headers, 'content-type': 'text/plain; charset=utf-8' };
    this.#bytesHeaders = { ...ctx.headers, 'content-type': 'application/octet-stream' };
  }

  #url(cacheName: string, topicName: string): string {
    return `${this.#baseUrl}/topics/${namePath(cacheName)}/${namePath(topicName, 'Topic name')}`;
  }

  /**
   * Publishes one message: a string goes as UTF-8 text, bytes as binary. Not retried (a retry
   * could deliver it twice); failures are the cache calls' typed errors.
   * @example await client.topics.publish('default-cache', 'invalidations', 'user:42');
   */
  async publish(
    cacheName: string,
    topicName: string,
    value: string | Uint8Array,
    options?: PublishOptions,
  ): Promise<void> {
    const url = this.#url(cacheName, topicName);
    let body: Uint8Array;
    let headers: Record<string, string>;
    if (typeof value === 'string') {
      body = utf8(value, 'Topic message');
      headers = this.#textHeaders;
    } else if (value instanceof Uint8Array) {
      body = value;
      headers = this.#bytesHeaders;
    } else {
      throw new InvalidArgumentError('Topic message must be a string or a Uint8Array');
    }
    await send(this.#ctx, { method: 'POST', url, body, headers, idempotent: false }, options);
  }

  /**
   * Subscribes: items and discontinuities in order, until `signal` aborts (the iterator then
   * ends) or a failure that waiting cannot fix (401/403/404/400, thrown by the iterator).
   * Nothing is requested until the first `next()`, and only one poll is ever in flight.
   * @example
   * for await (const event of client.topics.subscribe('default-cache', 'invalidations', { signal })) {
   *   if (event.kind === 'item') console.log(event.value);
   * }
   */
  subscribe(
    cacheName: string,
    topicName: string,
    options: SubscribeOptions = {},
  ): AsyncIterableIterator<TopicEvent> {
    const url = this.#url(cacheName, topicName);
    const pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    if (!(pollTimeoutMs > 0) || !Number.isFinite(pollTimeoutMs))
      throw new InvalidArgumentError(
        `pollTimeoutMs must be a positive number, got ${pollTimeoutMs}`,
      );
    const start = options.resumeAt ?? { sequenceNumber: 0, sequencePage: 0 };
    if (!isCount(start.sequenceNumber) || !isCount(start.sequencePage)) {
      throw new InvalidArgumentError(
        'resumeAt needs non-negative integer sequenceNumber and sequencePage',
      );
    }
    return poll(this.#ctx, url, { ...start }, pollTimeoutMs, options);
  }
}

async function* poll(
  ctx: RequestContext,
  url: string,
  position: TopicPosition,
  pollTimeoutMs: number,
  options: SubscribeOptions,
): AsyncIterableIterator<TopicEvent> {
  const signal = options.signal;
  const sleepSignal = signal ?? new CallAbort();
  let failures = 0;
  while (!signal?.aborted) {
    let events: TopicEvent[];
    try {
      const target = `${url}?sequence_number=${position.sequenceNumber}&sequence_page=${position.sequencePage}`;
      const response = await send(
        ctx,
        {
          method: 'GET',
          url: target,
          idempotent: false,
          longPoll: true,
          background: options.background === true,
        },
        { signal, timeoutMs: pollTimeoutMs },
      );
      events = parseTopicAnswer(response!.body);
      failures = 0;
    } catch (error) {
      if (signal?.aborted) return;
      // A poll that outlived its deadline found nothing to say: ask again at once.
      if (error instanceof TimeoutError) continue;
      if (!(error instanceof MomentoError) || !error.retryable) throw error;
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      const delay = retryAfter !== undefined ? retryAfter * 1000 : reconnectDelayMs(failures);
      failures++;
      options.onError?.(error, delay);
      try {
        await sleep(delay, sleepSignal, options.background !== true);
      } catch {
        return; // aborted while waiting
      }
      continue;
    }
    for (const event of events) {
      if (event.kind === 'item') {
        position.sequenceNumber = event.sequenceNumber + 1;
        position.sequencePage = event.sequencePage;
      } else {
        position.sequenceNumber = event.newSequenceNumber;
        position.sequencePage = event.newSequencePage;
      }
      yield event;
    }
  }
}

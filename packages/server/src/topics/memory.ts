/** Topics in this process: a bounded buffer of recent messages per topic, and waiting long polls. */
import {
  startFor,
  type TopicBatch,
  type TopicMessage,
  type TopicPosition,
  type TopicStore,
} from './types.js';

/** Topics kept at once; beyond it the longest-idle topic without subscribers is dropped (its page ends). */
const MAX_TOPICS = 10_000;

class Topic {
  /** Messages `oldest … next-1`, oldest first. */
  readonly buffer: TopicMessage[] = [];
  next = 0;
  readonly waiters = new Set<() => void>();
  constructor(readonly page: number) {}

  get oldest(): number {
    return this.next - this.buffer.length;
  }
}

export class MemoryTopicStore implements TopicStore {
  readonly #topics = new Map<string, Topic>();
  readonly #bufferMessages: number;
  /**
   * Pages start from the clock at startup and count up: a restarted server or a recreated topic
   * never reuses a page a subscriber may still hold, so it sees a discontinuity.
   */
  #nextPage = Date.now();
  waiting = 0;

  constructor(bufferMessages: number) {
    this.#bufferMessages = bufferMessages;
  }

  #topic(cache: string, name: string): Topic {
    const id = `${cache}\n${name}`;
    let topic = this.#topics.get(id);
    if (topic === undefined) {
      if (this.#topics.size >= MAX_TOPICS) this.#evictOne();
      topic = new Topic(++this.#nextPage);
    } else {
      this.#topics.delete(id); // re-inserted below: Map order is least recently used first
    }
    this.#topics.set(id, topic);
    return topic;
  }

  #evictOne(): void {
    for (const [id, topic] of this.#topics) {
      if (topic.waiters.size === 0) {
        this.#topics.delete(id);
        return;
      }
    }
  }

  publish(cache: string, name: string, value: Buffer, text: boolean): void {
    const topic = this.#topic(cache, name);
    topic.buffer.push({ sequenceNumber: topic.next++, value, text });
    if (topic.buffer.length > this.#bufferMessages) topic.buffer.shift();
    const waiters = [...topic.waiters];
    topic.waiters.clear();
    for (const wake of waiters) wake();
  }

  read(cache: string, name: string, from: TopicPosition, wait: AbortSignal): Promise<TopicBatch> {
    const topic = this.#topic(cache, name);
    const now = this.#collect(topic, from);
    if (now !== undefined || wait.aborted) return Promise.resolve(now ?? empty(topic));
    this.waiting++;
    return new Promise<TopicBatch>((resolve) => {
      const finish = (): void => {
        this.waiting--;
        wait.removeEventListener('abort', onAbort);
        topic.waiters.delete(wake);
      };
      const wake = (): void => {
        const batch = this.#collect(topic, from);
        if (batch === undefined) {
          topic.waiters.add(wake);
          return;
        }
        finish();
        resolve(batch);
      };
      const onAbort = (): void => {
        finish();
        resolve(empty(topic));
      };
      topic.waiters.add(wake);
      wait.addEventListener('abort', onAbort, { once: true });
    });
  }

  #collect(topic: Topic, from: TopicPosition): TopicBatch | undefined {
    const { start, gap } = startFor(from, topic.page, topic.oldest, topic.next);
    const messages = topic.buffer.slice(start - topic.oldest);
    if (gap === undefined && messages.length === 0) return undefined;
    return gap
      ? { page: topic.page, discontinuity: gap, messages }
      : { page: topic.page, messages };
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }
}

const empty = (topic: Topic): TopicBatch => ({ page: topic.page, messages: [] });

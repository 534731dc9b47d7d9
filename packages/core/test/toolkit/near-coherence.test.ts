import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import {
  CoherenceUnavailableError,
  coherenceTopicName,
  resolveNearCoherence,
  topicsOf,
} from '../../src/toolkit/near-coherence';

const topics = { publish: async () => {}, subscribe: () => ({}) as never };

describe('resolveNearCoherence', () => {
  it("defaults to 'topics' with a 30 s near TTL when the store has topics", () => {
    expect(resolveNearCoherence(undefined, undefined, topics)).toMatchObject({
      coherence: 'topics',
      ttlMs: 30_000,
      topics,
      unavailable: undefined,
    });
  });

  it("falls back to 'ttl' and 1 s: silently by default, with an error to report when asked for", () => {
    expect(resolveNearCoherence(undefined, undefined, undefined)).toMatchObject({
      coherence: 'ttl',
      ttlMs: 1000,
      unavailable: undefined,
    });
    const asked = resolveNearCoherence('topics', 5000, undefined);
    expect(asked).toMatchObject({ coherence: 'ttl', ttlMs: 5000, topics: undefined });
    expect(asked.unavailable).toBeInstanceOf(CoherenceUnavailableError);
  });

  it("'ttl' keeps the near TTL short by default even with topics", () => {
    expect(resolveNearCoherence('ttl', undefined, topics)).toMatchObject({
      coherence: 'ttl',
      ttlMs: 1000,
      topics: undefined,
    });
  });

  it('refuses anything else, naming the option', () => {
    expect(() => resolveNearCoherence('pubsub', undefined, topics)).toThrow(InvalidArgumentError);
    expect(() => resolveNearCoherence(true, undefined, topics)).toThrow(/nearCache.coherence/);
  });
});

describe('coherence plumbing', () => {
  it('topic names are per adapter and scope; odd scopes are hashed into a valid name', () => {
    expect(coherenceTopicName('keyv', 'sessions')).toBe('momento-http.near.keyv.sessions');
    const odd = coherenceTopicName('next', 'build id/with spaces|and more');
    expect(odd).toMatch(/^momento-http\.near\.next\.h[0-9a-f]{32}$/);
    expect(coherenceTopicName('next', 'other scope')).not.toBe(odd);
  });

  it('topicsOf finds a client or store topics, and nothing on a plain store', () => {
    expect(topicsOf({ topics })).toBe(topics);
    expect(topicsOf({ get() {} })).toBeUndefined();
    expect(topicsOf(undefined)).toBeUndefined();
  });

  it("a FencedNearCache's lifeCap bounds every entry stored while it answers short", () => {
    let now = 0;
    let cap = Number.POSITIVE_INFINITY;
    const near = new FencedNearCache<string>({ ttlMs: 60_000, now: () => now, lifeCap: () => cap });
    near.fill('long', 'a', near.beginRead());
    cap = 1000;
    near.fill('short', 'b', near.beginRead());
    now = 1001;
    expect(near.get('short')).toBeUndefined();
    expect(near.get('long')).toBe('a');
    now = 60_001;
    expect(near.get('long')).toBeUndefined();
  });
});

/**
 * The engine composed as the README says an adapter composes it, against the real local server,
 * with two stacks standing in for two processes.
 */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { createClient } from '../../src/index';
import { withChunking } from '../../src/toolkit/chunking';
import { CircuitBreaker } from '../../src/toolkit/circuit-breaker';
import { Deadline } from '../../src/toolkit/deadline';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { NamespaceGeneration } from '../../src/toolkit/namespace-generation';
import { TagStates } from '../../src/toolkit/tag-states';
import { TaggedEntryReader } from '../../src/toolkit/tagged-entry-reader';
import { TagStore } from '../../src/toolkit/tags';
import { withSingleFlight } from '../../src/toolkit/with-single-flight';

interface Page {
  html: string;
  tags: string[];
  at: number;
}
const encode = (p: Page) => new TextEncoder().encode(JSON.stringify(p));
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Page;

const local = useLocalServer();

function processStack(near: boolean) {
  const base: CacheStore = createClient({
    baseUrl: local.server.url,
    apiKey: local.server.createApiKey(),
    env: {},
  }).cache('default-cache');
  const onError = vi.fn();
  const store = withSingleFlight(withChunking(base, { onError }));
  const nearCache = near ? { ttlMs: 60_000 } : undefined;
  const entries = new EntryCache<Page>({
    store,
    decode,
    near: nearCache ? new FencedNearCache<Page>(nearCache) : undefined,
    onError,
  });
  const tags = new TagStates(new TagStore(store, { prefix: 'engine-tag|' }), { nearCache });
  const reader = new TaggedEntryReader<Page>({
    entries,
    tags,
    tagsOf: (p) => p.tags,
    createdAt: (p) => p.at,
    breaker: new CircuitBreaker(),
    onError,
  });
  const generation = new NamespaceGeneration(store, 'engine-app', { onError });
  return { reader, tags, entries, generation, onError };
}

describe('the engine over HTTP', { timeout: 30_000 }, () => {
  it('a tagged page written by one process is read, invalidated and re-read by both', async () => {
    const a = processStack(true);
    const b = processStack(false);
    const prefix = (await a.generation.confirm())!;
    expect(await b.generation.confirm()).toBe(prefix);
    const id = `${prefix}/products`;
    const page: Page = { html: '<h1>v1</h1>', tags: ['products'], at: Date.now() - 5 };
    await a.reader.write(id, page, encode(page), { ttlSeconds: 60 });

    const read = () => b.reader.read(id, { deadline: new Deadline(5_000) });
    expect(await read()).toMatchObject({ entry: { html: '<h1>v1</h1>' }, verdict: 'fresh' });
    expect(a.reader.peek(id)).toBeUndefined(); // A holds the page near, but not yet its tag state
    expect((await a.reader.read(id, { deadline: new Deadline(5_000) }))?.source).toBe('near');
    expect(a.reader.peek(id)?.entry.html).toBe('<h1>v1</h1>'); // now a synchronous hit

    await a.tags.invalidate(['products']);
    expect(a.reader.peek(id)).toBeUndefined(); // A sees its own invalidation at once
    expect(await a.reader.read(id, { deadline: new Deadline(5_000) })).toBeUndefined();
    expect(await read()).toBeUndefined(); // B has no near cache: it reads the tag state

    await b.generation.clear();
    a.generation.invalidate(); // as a coherence message would
    expect(await a.generation.confirm()).not.toBe(prefix);
    expect(a.onError).not.toHaveBeenCalled();
    expect(b.onError).not.toHaveBeenCalled();
  });
});

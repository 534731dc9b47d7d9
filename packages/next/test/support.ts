import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '@momento-http/core';

/** A store wrapper that records the writes a handler makes (key, size, TTL) and can be made to fail. */
export class RecordingStore implements CacheStore {
  readonly sets: { key: string; bytes: number; ttlSeconds?: number }[] = [];
  failing: 'no' | 'reject' | 'hang' = 'no';
  /** Delay of every get started from now on (a slow network for reads only). */
  getDelayMs = 0;
  constructor(private readonly inner: CacheStore) {}
  get cacheName() {
    return this.inner.cacheName;
  }
  private async gate(): Promise<void> {
    if (this.failing === 'reject')
      throw Object.assign(new Error('connection refused'), { retryable: true });
    if (this.failing === 'hang') await new Promise(() => {});
  }
  async get(key: CacheKey, options?: CallOptions) {
    await this.gate();
    const delay = this.getDelayMs;
    const value = await this.inner.get(key, options);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return value;
  }
  async set(key: CacheKey, value: CacheValue, options?: SetOptions) {
    await this.gate();
    const k = typeof key === 'string' ? key : new TextDecoder().decode(key);
    this.sets.push({
      key: k,
      bytes: typeof value === 'string' ? value.length : value.byteLength,
      ttlSeconds: options?.ttlSeconds,
    });
    return this.inner.set(key, value, options);
  }
  async delete(key: CacheKey, options?: CallOptions) {
    await this.gate();
    return this.inner.delete(key, options);
  }
}

/** An APP_PAGE value shaped like the one Next 15.2+/16 passes to `set`. */
export function appPage(html = '<html>page</html>', tags = '_N_T_/layout,_N_T_/isr/a,isr') {
  const rsc = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
  return {
    kind: 'APP_PAGE',
    html,
    rscData: rsc,
    segmentData: new Map<string, Buffer>([
      ['/_tree', Buffer.from([9, 8, 7])],
      ['/_full', Buffer.from(rsc)],
      ['/isr/$d$slug/__PAGE__', Buffer.alloc(0)],
    ]),
    postponed: undefined,
    status: 200,
    headers: { 'x-next-cache-tags': tags, 'x-nextjs-stale-time': '300' },
  };
}

export const pageCtx = { kind: 'APP_PAGE', isRoutePPREnabled: false, isFallback: false };
export const pageSetCtx = (revalidate = 60, expire: number | undefined = 31_536_000) => ({
  kind: 'APP_PAGE',
  cacheControl: { revalidate, expire },
  isRoutePPREnabled: false,
  isFallback: false,
});

/** Polls until `fn` returns a truthy value, or throws after `ms`. */
export async function until<T>(fn: () => Promise<T> | T, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { createClient } from '@momento-http/core';
import { type RunningServer, startServer } from '@momento-http/server';

/** The real local server on a free port, and a client-backed store for one cache on it. */
export async function localBackend(): Promise<{
  server: RunningServer;
  store: () => RecordingStore;
  close: () => Promise<void>;
}> {
  const server = await startServer({ port: 0 });
  const client = createClient({
    baseUrl: server.url,
    apiKey: server.createApiKey({ superUser: true }),
    timeoutMs: 2000,
    retries: 0,
  });
  return {
    server,
    store: () => new RecordingStore(client.cache('default-cache')),
    close: () => server.close(),
  };
}

/** Lets the clock move on, so a revalidation is strictly newer than the entry before it. */
export const tick = () => new Promise((r) => setTimeout(r, 3));

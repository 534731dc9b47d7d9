/**
 * Issue 17: failures speak by default (once per cause and process; `onError` replaces the report)
 * and `stats()` counts what this process's handlers did, against the real local server.
 */
import {
  failureCauses,
  README_MISSPELT_CACHE,
  readmeFailureReport,
  useLocalServer,
} from '@momento-http/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIsrHandler, stats } from '../src/index';
import { appPage, pageCtx, pageSetCtx } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 2000, retries: 0 } });
const namespace = () => `t${Math.random().toString(36).slice(2)}|`;

afterEach(() => {
  vi.restoreAllMocks();
});

function captureWarnings(): () => string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  return () => warn.mock.calls.map((args) => String(args[0]));
}

describe('failure reports', { timeout: 30_000 }, () => {
  it('each cause is printed once over many gets and sets, never with the key', async () => {
    for (const cause of await failureCauses(local, 'next')) {
      const printed = captureWarnings();
      const Handler = createIsrHandler({ store: cause.store, namespace: namespace() });
      const handler = new Handler();
      for (let i = 0; i < 5; i++) {
        expect(await handler.get(`/p${i}`, pageCtx), cause.name).toBeNull();
        await handler.set(`/p${i}`, appPage(), pageSetCtx());
      }
      expect(printed(), cause.name).toHaveLength(1);
      expect(printed()[0], cause.name).toMatch(/^\[@momento-http\/next\] cache get failed: /);
      expect(printed()[0], cause.name).toContain(cause.says);
      expect(printed()[0], cause.name).toContain("the handler's onError");
      expect(printed()[0], cause.name).not.toContain(local.apiKey.slice(-24));
      vi.restoreAllMocks();
    }
  });

  it('a given onError receives the failures and nothing is printed', async () => {
    const [cause] = await failureCauses(local, 'next-onerror');
    const printed = captureWarnings();
    const seen: string[] = [];
    const Handler = createIsrHandler({
      store: cause!.store,
      namespace: namespace(),
      onError: (_error, operation) => seen.push(operation),
    });
    const handler = new Handler();
    await handler.get('/a', pageCtx);
    await handler.get('/b', pageCtx);
    expect(printed()).toEqual([]);
    expect(seen[0]).toBe('get');
  });

  it("prints, word for word, the report the README's Troubleshooting shows", async () => {
    const printed = captureWarnings();
    const Handler = createIsrHandler({
      client: local.client(),
      cacheName: README_MISSPELT_CACHE,
      namespace: namespace(),
    });
    expect(await new Handler().get('/a', pageCtx)).toBeNull();
    expect(printed()).toEqual([readmeFailureReport(new URL('../README.md', import.meta.url))]);
  });
});

describe('stats()', () => {
  it("counts this process's handler reads once each, the near hits and the bytes", async () => {
    const ns = namespace();
    const A = createIsrHandler({ store: local.store(), namespace: ns, keyPrefix: 'b1' });
    const B = createIsrHandler({ store: local.store(), namespace: ns, keyPrefix: 'b1' });
    const before = stats();
    await new A().set('/s', appPage(), pageSetCtx());
    const written = stats().bytesWritten - before.bytesWritten;
    expect(written).toBeGreaterThan(appPage().html.length);
    expect(await new B().get('/s', pageCtx)).not.toBeNull(); // hit, from the server
    expect(await new B().get('/none', pageCtx)).toBeNull(); // miss
    const after = stats();
    expect(after.hits - before.hits).toBe(1);
    expect(after.misses - before.misses).toBe(1);
    expect(after.nearHits - before.nearHits).toBe(0);
    expect(after.bytesRead - before.bytesRead).toBeGreaterThanOrEqual(written);
    expect(after.errors - before.errors).toBe(0);

    const Near = createIsrHandler({ store: local.store(), namespace: ns, nearCache: true });
    const near = new Near();
    await near.set('/n', appPage(), pageSetCtx());
    const mid = stats();
    await near.get('/n', pageCtx);
    expect(stats().nearHits - mid.nearHits).toBe(1);
    expect(stats().bytesRead - mid.bytesRead).toBe(0);
  });
});

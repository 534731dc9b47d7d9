/**
 * One deadline per Next read: a page whose tags this process does not know yet costs two round
 * trips one after the other (the entry, then the tags it carries), and both share `getTimeoutMs`.
 */
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { freshNamespace, proxiedProcess } from './proxied';
import { appPage, pageCtx, pageSetCtx } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 5000, retries: 0 } });
const proxy = useFaultProxy(local);

const TIMEOUT_MS = 1000;

describe('a Next page with tags under one deadline', { timeout: 30_000 }, () => {
  it('against a cache answering at 90 % of the timeout, gives up at the timeout, not after two reads', async () => {
    const namespace = freshNamespace();
    await proxiedProcess(local, proxy, { namespace }).isr.set('/isr/a', appPage(), pageSetCtx());
    const reader = proxiedProcess(local, proxy, { namespace, getTimeoutMs: TIMEOUT_MS });
    const slow = proxy.add({ method: 'GET', delayMs: TIMEOUT_MS * 0.9 });
    try {
      const started = performance.now();
      const page = await reader.isr.get('/isr/a', pageCtx);
      const elapsed = performance.now() - started;
      expect(page).toBeNull();
      // Entry then tags, each with its own deadline, would take at least 1.8 timeouts; one deadline
      // ends at 1. The bound sits between, so a loaded machine's late timer is not a failure.
      expect(elapsed).toBeLessThan(TIMEOUT_MS * 1.45);
      // It did make several calls: the entry answered, then its tags were asked for.
      expect(slow.hits).toBeGreaterThan(1);
      expect(reader.errors.map((e) => (e.error as Error).name)).toContain('TimeoutError');
    } finally {
      slow.remove();
    }
  });

  it('serves the page when the entry and its tags fit in the deadline together', async () => {
    const namespace = freshNamespace();
    await proxiedProcess(local, proxy, { namespace }).isr.set('/isr/a', appPage(), pageSetCtx());
    const reader = proxiedProcess(local, proxy, { namespace, getTimeoutMs: TIMEOUT_MS });
    const slow = proxy.add({ method: 'GET', delayMs: TIMEOUT_MS * 0.3 });
    try {
      expect((await reader.isr.get('/isr/a', pageCtx))?.value).toEqual(appPage());
      expect(reader.errors).toEqual([]);
    } finally {
      slow.remove();
    }
  });
});

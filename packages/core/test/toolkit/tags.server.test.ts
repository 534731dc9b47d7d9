/** Tags against the real local server: two clients stand in for two processes. */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index';
import { TagStore } from '../../src/toolkit/tags';

const local = useLocalServer({ clientOptions: { timeoutMs: 30_000 } });

describe('TagStore over HTTP', { timeout: 30_000 }, () => {
  const secondProcess = () =>
    new TagStore(
      createClient({
        baseUrl: local.server.url,
        apiKey: local.server.createApiKey(),
        env: {},
      }).cache('default-cache'),
    );

  it('an invalidation by one process is seen by another', async () => {
    const one = new TagStore(local.store());
    const two = secondProcess();
    const created = Date.now() - 1;
    expect(await two.areTagsExpired(['srv-a'], created)).toBe(false);
    await one.invalidate(['srv-a']);
    expect(await two.areTagsExpired(['srv-a'], created)).toBe(true);
    await one.invalidate(['srv-b'], { expireInSeconds: 3600 });
    expect(await two.areTagsStale(['srv-b'], created)).toBe(true);
    expect(await two.areTagsExpired(['srv-b'], created)).toBe(false);
  });

  it('concurrent invalidations of different tags are all kept (no shared manifest)', async () => {
    const one = new TagStore(local.store());
    const two = secondProcess();
    const tags = Array.from({ length: 40 }, (_, i) => `srv-many-${i}`);
    await Promise.all(tags.map((tag, i) => (i % 2 ? one : two).invalidate([tag])));
    const states = await one.read(tags);
    expect([...states.keys()].sort()).toEqual([...tags].sort());
  });
});

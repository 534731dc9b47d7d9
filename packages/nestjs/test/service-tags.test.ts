/** MomentoCacheService tags on data: set / wrap with { tags }, invalidateTags, across two apps. */
import { MomentoCacheModule, MomentoCacheService } from '@momento-http/nestjs';
import { type LocalServer, startLocalServer } from '@momento-http/test-kit';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
const modules: TestingModule[] = [];

async function app(namespace: string): Promise<MomentoCacheService> {
  const moduleRef = await Test.createTestingModule({
    imports: [MomentoCacheModule.forRoot({ client: momento.client(), namespace, timeoutMs: 5000 })],
  }).compile();
  modules.push(moduleRef);
  return moduleRef.get(MomentoCacheService);
}

beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(async () => {
  for (const moduleRef of modules) await moduleRef.close();
  await momento.server.close();
});

describe('MomentoCacheService tags', () => {
  it('set and wrap with tags are misses in every app once a tag is purged', async () => {
    const namespace = uniqueNamespace();
    const a = await app(namespace);
    const b = await app(namespace);
    expect(await a.set('svc:tagged', { n: 1 }, { ttl: 60_000, tags: ['product:1'] })).toBe(true);
    await a.set('svc:plain', { n: 2 }, 60_000);
    let loads = 0;
    const load = async () => ({ loaded: ++loads });
    expect(await a.wrap('svc:wrapped', load, { ttl: 60_000, tags: ['product:1'] })).toEqual({
      loaded: 1,
    });
    expect(await b.get('svc:tagged')).toEqual({ n: 1 });
    expect(await b.wrap('svc:wrapped', load, { tags: ['product:1'] })).toEqual({ loaded: 1 });

    expect(await b.invalidateTags(['product:1'])).toBe(true);
    expect(await a.get('svc:tagged')).toBeUndefined();
    expect(await b.get('svc:tagged')).toBeUndefined();
    expect(await a.get('svc:plain')).toEqual({ n: 2 });
    expect(await a.wrap('svc:wrapped', load, { tags: ['product:1'] })).toEqual({ loaded: 2 });
  });

  it('rejects tags that are not non-empty strings', async () => {
    const a = await app(uniqueNamespace());
    await expect(a.set('k', 1, { tags: [''] })).rejects.toThrow(TypeError);
  });
});

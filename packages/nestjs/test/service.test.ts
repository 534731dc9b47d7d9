import { MomentoCacheModule, MomentoCacheService } from '@momento-http/nestjs';
import { type LocalServer, startLocalServer } from '@momento-http/test-kit';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
let moduleRef: TestingModule;
let service: MomentoCacheService;
const errors: string[] = [];

beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
  moduleRef = await Test.createTestingModule({
    imports: [
      MomentoCacheModule.forRoot({
        client: momento.client(),
        namespace: uniqueNamespace(),
        // Generous: these tests check values, not deadlines (store-down.test.ts does), and CI is loaded.
        timeoutMs: 5000,
        onError: (_e, { operation }) => errors.push(operation),
      }),
    ],
  }).compile();
  service = moduleRef.get(MomentoCacheService);
});
afterAll(async () => {
  await moduleRef.close();
  await momento.server.close();
});

describe('MomentoCacheService', () => {
  it('gets, sets and deletes values (Dates and Buffers survive Keyv serialization)', async () => {
    expect(await service.get('svc:a')).toBeUndefined();
    expect(await service.set('svc:a', { n: 1, bytes: Buffer.from([0, 255]) }, 10_000)).toBe(true);
    const value = await service.get<{ n: number; bytes: Buffer }>('svc:a');
    expect(value?.n).toBe(1);
    expect(Buffer.isBuffer(value?.bytes) && [...value.bytes]).toEqual([0, 255]);
    expect(await service.del('svc:a')).toBe(true);
    expect(await service.get('svc:a')).toBeUndefined();
  });

  it('wrap runs the loader once for concurrent callers, then serves the cache', async () => {
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { loaded: calls };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => service.wrap('svc:wrap', loader, 10_000)),
    );
    expect(calls).toBe(1);
    expect(results.every((r) => r.loaded === 1)).toBe(true);
    expect(await service.wrap('svc:wrap', loader, 10_000)).toEqual({ loaded: 1 });
    expect(calls).toBe(1);
  });

  it('wrap rejects with the loader error and caches nothing', async () => {
    await expect(
      service.wrap('svc:boom', () => Promise.reject(new Error('db down')), 10_000),
    ).rejects.toThrow('db down');
    expect(await service.get('svc:boom')).toBeUndefined();
  });

  it('never rejects on store failures; reports them', async () => {
    momento.server.faults.add({ path: '/cache', status: 500 });
    try {
      expect(await service.get('svc:x')).toBeUndefined();
      expect(await service.set('svc:x', 1)).toBe(false);
      expect(await service.wrap('svc:x', () => 42)).toBe(42);
      expect(await service.invalidateTags(['t'])).toBe(false);
    } finally {
      momento.server.faults.clear();
    }
    expect(errors).toContain('invalidateTags');
  });

  it('invalidateTags validates its input', async () => {
    await expect(service.invalidateTags([''])).rejects.toThrow(TypeError);
    expect(await service.invalidateTags([])).toBe(true);
  });
});

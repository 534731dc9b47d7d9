import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startOrigin } from './origin';
import { type NextInstance, startNext } from './processes';
import { eventually, get, json, renderOf } from './requests';

export interface SuiteOptions {
  name: 'next16' | 'next15';
  appDir: string;
  /** Next 16 has revalidateTag(tag, 'max') (stale-while-revalidate); 15 expires at once. */
  hasMaxProfile: boolean;
}

const signingSecret = 'next-e2e-signing-secret-0123456789abcdef';

type Origin = Awaited<ReturnType<typeof startOrigin>>;

/** A local server, the origin, and two `next start` instances of the app over them. */
async function startPair(appDir: string, extraEnv: Record<string, string> = {}) {
  const server = await startServer({ port: 0, signingSecret });
  const origin = await startOrigin();
  const env = {
    MOMENTO_ENDPOINT: server.url,
    MOMENTO_API_KEY: server.createApiKey({ superUser: true }),
    ORIGIN_URL: origin.url,
    ...extraEnv,
  };
  const [a, b] = await Promise.all([startNext(appDir, env), startNext(appDir, env)]);
  return { server, origin, a, b };
}

/** Two `next start` instances of one build over one local server. */
export function defineNextSuite(options: SuiteOptions): void {
  describe(`${options.name}: two instances over one local server`, () => {
    let server: RunningServer;
    let port: number;
    let origin: Origin;
    let a: NextInstance;
    let b: NextInstance;

    beforeAll(async () => {
      ({ server, origin, a, b } = await startPair(options.appDir));
      port = server.port;
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await Promise.all([server?.close(), origin?.close()]);
    });

    it('builds quietly with the cache unreachable', () => {
      const log = inject('buildLogs')[options.name] ?? '';
      expect(log).not.toMatch(/^\s+at /m);
      expect(log).not.toMatch(/unhandled|ECONNREFUSED/i);
    });

    it('serves an ISR page rendered by A as a HIT on B, with its cache-control', async () => {
      const first = await get(a.url, '/isr/a');
      expect(first.status).toBe(200);
      const rendered = renderOf(first.body);
      const onA = await eventually(
        () => get(a.url, '/isr/a'),
        (p) => p.cache === 'HIT',
      );
      expect(renderOf(onA.body)).toBe(rendered);
      const onB = await get(b.url, '/isr/a');
      expect(onB.cache).toBe('HIT');
      expect(renderOf(onB.body)).toBe(rendered);
      expect(onB.headers.get('cache-control')).toMatch(/s-maxage=3600/);
      // The RSC payload and segment data (Buffers, a Map) survived: B answers a client navigation.
      const rsc = await fetch(`${b.url}/isr/a`, { headers: { RSC: '1' } });
      expect(rsc.status).toBe(200);
      expect(rsc.headers.get('content-type')).toMatch(/text\/x-component/);
      expect(await rsc.text()).toContain(rendered!);
    });

    if (options.hasMaxProfile) {
      it("revalidateTag(tag, 'max') on A: B serves the stale page once, then the new one", async () => {
        const before = renderOf((await get(b.url, '/isr/a')).body);
        const res = await fetch(`${a.url}/api/revalidate?tag=isr&profile=max`, { method: 'POST' });
        expect(res.status).toBe(200);
        const stale = await eventually(
          () => get(b.url, '/isr/a'),
          (p) => p.cache === 'STALE',
        );
        expect(renderOf(stale.body)).toBe(before);
        const fresh = await eventually(
          () => get(b.url, '/isr/a'),
          (p) => renderOf(p.body) !== before,
        );
        expect(fresh.cache).toBe('HIT');
        expect(renderOf((await get(a.url, '/isr/a')).body)).toBe(renderOf(fresh.body));
      });
    }

    it('revalidateTag with { expire: 0 } on A: B serves the new page at once', async () => {
      const before = renderOf((await get(b.url, '/isr/a')).body);
      await fetch(`${a.url}/api/revalidate?tag=isr&profile=now`, { method: 'POST' });
      const after = await eventually(
        () => get(b.url, '/isr/a'),
        (p) => renderOf(p.body) !== before,
      );
      expect(after.status).toBe(200);
      expect(renderOf(after.body)).not.toBe(before);
      expect(after.cache).not.toBe('STALE');
    });

    it('revalidatePath on B: A serves the new page at once', async () => {
      const settled = await eventually(
        () => get(a.url, '/isr/a'),
        (p) => p.cache === 'HIT',
      );
      await fetch(`${b.url}/api/revalidate?path=/isr/a`, { method: 'POST' });
      const after = await eventually(
        () => get(a.url, '/isr/a'),
        (p) => renderOf(p.body) !== renderOf(settled.body),
      );
      expect(renderOf(after.body)).not.toBe(renderOf(settled.body));
    });

    it('shares the fetch cache and honours fetch tags', async () => {
      const first = json(await get(a.url, '/api/data')).upstream;
      expect(json(await get(b.url, '/api/data')).upstream).toBe(first);
      const hits = origin.hits();
      await fetch(`${b.url}/api/revalidate?tag=origin&profile=now`, { method: 'POST' });
      const after = json(
        await eventually(
          () => get(a.url, '/api/data'),
          (p) => json(p).upstream !== first,
        ),
      ).upstream;
      expect(after).not.toBe(first);
      expect(origin.hits()).toBe(hits + 1);
      expect(json(await get(b.url, '/api/data')).upstream).toBe(after);
    });

    it("shares 'use cache' entries (cacheTag, cacheLife) and revalidates them by tag", async () => {
      const first = json(await get(a.url, '/api/uc')).id;
      expect(json(await get(b.url, '/api/uc')).id).toBe(first);
      await fetch(`${a.url}/api/revalidate?tag=uc&profile=now`, { method: 'POST' });
      const second = json(
        await eventually(
          () => get(b.url, '/api/uc'),
          (p) => json(p).id !== first,
        ),
      ).id;
      expect(second).not.toBe(first);
      expect(json(await get(a.url, '/api/uc')).id).toBe(second);
      if (options.hasMaxProfile) {
        await fetch(`${b.url}/api/revalidate?tag=uc&profile=max`, { method: 'POST' });
        // Stale-while-revalidate: the old value once, then the regenerated one.
        expect(json(await get(a.url, '/api/uc')).id).toBe(second);
        await eventually(
          () => get(a.url, '/api/uc'),
          (p) => json(p).id !== second,
        );
      }
    });

    it('caches a route handler with a binary body across instances', async () => {
      const first = await eventually(
        () => get(a.url, '/bytes'),
        (p) => p.status === 200,
      );
      const raw = new Uint8Array(await (await fetch(`${b.url}/bytes`)).arrayBuffer());
      expect(Array.from(raw.slice(0, 256))).toEqual(Array.from({ length: 256 }, (_, i) => i));
      const again = new Uint8Array(await (await fetch(`${a.url}/bytes`)).arrayBuffer());
      expect(Buffer.from(again).equals(Buffer.from(raw))).toBe(true);
      expect(first.status).toBe(200);
    });

    it('stores a page whose entry is over 5 MB (compressed, then chunked)', async () => {
      const first = await get(a.url, '/big');
      const seed = /id="seed">(\d+)</.exec(first.body)?.[1];
      const hit = await eventually(
        () => get(b.url, '/big'),
        (p) => p.cache === 'HIT',
      );
      expect(/id="seed">(\d+)</.exec(hit.body)?.[1]).toBe(seed);
      expect(hit.body.length).toBe(first.body.length);
      expect(hit.body.length).toBeGreaterThan(2_500_000);
    });

    it('keeps rendering with the cache server stopped, and recovers when it returns', async () => {
      await server.close();
      for (const instance of [a, b]) {
        const page = await get(instance.url, '/isr/a');
        expect(page.status).toBe(200);
        expect(page.cache).not.toBe('HIT');
        expect((await get(instance.url, '/api/uc')).status).toBe(200);
      }
      // Same port and signing secret: the instances' key is valid again; the data is gone.
      server = await startServer({ port, signingSecret });
      for (const instance of [a, b]) {
        await eventually(
          () => get(instance.url, '/isr/a'),
          (p) => p.cache === 'HIT',
          20_000,
        );
      }
      for (const instance of [a, b]) expect(instance.exited()).toBe(false);
      const logs = a.output() + b.output();
      expect(logs).not.toMatch(/unhandled ?rejection/i);
      expect(logs).not.toMatch(/^\s+at /m);
    });
  });

  describe(`${options.name}: two instances with near caches kept coherent over Topics`, () => {
    let server: RunningServer;
    let origin: Origin;
    let a: NextInstance;
    let b: NextInstance;

    beforeAll(async () => {
      ({ server, origin, a, b } = await startPair(options.appDir, { MOMENTO_NEAR_CACHE: '1' }));
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await Promise.all([server?.close(), origin?.close()]);
    });

    it('revalidateTag with { expire: 0 } on A: B drops its near copy and serves the new page', async () => {
      // Near entries live 30 s while the bus is live: without the invalidation reaching B, B would
      // serve its near copy for longer than each poll below waits.
      const seenAfterMs: number[] = [];
      for (let trial = 0; trial < 10; trial++) {
        const held = await eventually(
          () => get(b.url, '/isr/a'),
          (p) => p.cache === 'HIT',
        );
        expect((await get(b.url, '/isr/a')).cache).toBe('HIT'); // now in B's near cache
        const res = await fetch(`${a.url}/api/revalidate?tag=isr&profile=now`, { method: 'POST' });
        expect(res.status).toBe(200);
        const sent = performance.now();
        const after = await eventually(
          () => get(b.url, '/isr/a'),
          (p) => renderOf(p.body) !== renderOf(held.body),
          10_000,
        );
        seenAfterMs.push(performance.now() - sent);
        expect(after.cache).not.toBe('STALE');
      }
      for (const instance of [a, b]) expect(instance.exited()).toBe(false);
      // Reported, not asserted (timing belongs in `pnpm bench coherence`).
      seenAfterMs.sort((x, y) => x - y);
      console.log(
        `${options.name}: B served the new page ${seenAfterMs.map((ms) => ms.toFixed(0)).join(', ')} ms after A's revalidation answered`,
      );
    });
  });
}

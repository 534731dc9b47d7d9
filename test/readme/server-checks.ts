/**
 * What the server samples must do once they listen: the behaviour their README promises, seen
 * over HTTP (a MISS then a HIT, and the invalidation the sample's comments describe).
 */
import type { eventually as Eventually } from '@momento-http/test-kit';
import { expect } from 'vitest';

async function get(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    cache: response.headers.get('x-cache'),
    body: await response.json(),
  };
}

/** Express README quick start: GET /products cached under tag `products`; POST purges it. */
export async function checkExpressQuickStart(base: string): Promise<void> {
  const first = await get(`${base}/products`);
  expect(first).toMatchObject({ status: 200, cache: 'MISS' });
  expect(first.body).toHaveLength(1);
  expect(await get(`${base}/products`)).toMatchObject({ status: 200, cache: 'HIT' });

  const created = await fetch(`${base}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 2, name: 'Gadget', price: 20 }),
  });
  expect(created.status).toBe(201);
  const after = await get(`${base}/products`);
  expect(after).toMatchObject({ status: 200, cache: 'MISS' });
  expect(after.body).toHaveLength(2);
}

/**
 * Nest README quick start: `/products/:id` cached whole with its tags and evicted by the POST;
 * `/stats` cached by the stock `CacheInterceptor` (computed once).
 */
export async function checkNestQuickStart(
  base: string,
  eventually: typeof Eventually,
): Promise<void> {
  const first = await get(`${base}/products/1`);
  expect(first).toMatchObject({ status: 200, cache: 'MISS', body: { price: 12 } });
  await eventually(async () => (await get(`${base}/products/1`)).cache === 'HIT', {
    what: 'GET /products/1 served from the cache',
  });

  const updated = await fetch(`${base}/products/1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ price: 13 }),
  });
  expect(updated.status).toBe(201);
  expect(await get(`${base}/products/1`)).toMatchObject({ cache: 'MISS', body: { price: 13 } });

  const stats = await get(`${base}/stats`);
  expect(stats.body).toEqual({ computed: 1 });
  await eventually(async () => (await get(`${base}/stats`)).body.computed === 1, {
    what: 'GET /stats served from the cache',
  });
}

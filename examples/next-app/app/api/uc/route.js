import { connection } from 'next/server';
import { cacheLife, cacheTag } from '../../../lib/next-cache.js';
import { renderId } from '../../../lib/render-id.js';

async function cachedData() {
  'use cache: remote';
  cacheLife({ stale: 60, revalidate: 600, expire: 3600 });
  cacheTag('uc');
  return { id: renderId() };
}

// 'use cache' data read on every (dynamic) request through the cacheHandlers object.
export async function GET() {
  await connection();
  return Response.json(await cachedData());
}

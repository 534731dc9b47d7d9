import { cacheLife } from '../../lib/next-cache.js';
import { renderId } from '../../lib/render-id.js';

async function payload() {
  'use cache';
  cacheLife({ stale: 300, revalidate: 3600, expire: 86400 });
  const body = new Uint8Array(256 + 24);
  for (let i = 0; i < 256; i++) body[i] = i;
  body.set(new TextEncoder().encode(renderId().padEnd(24, '.').slice(0, 24)), 256);
  return body;
}

// A cached route handler (APP_ROUTE) whose body is binary: bytes 0..255, then a render id.
export async function GET() {
  return new Response(await payload(), { headers: { 'content-type': 'application/octet-stream' } });
}

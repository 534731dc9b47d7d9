import { cacheLife } from '../../lib/next-cache.js';

// About 2.5 MB of incompressible text: HTML + RSC + segment data make an entry well over
// Momento's 5 MB item limit, so the handler must compress and chunk it.
function noise(bytes, seed) {
  let x = seed >>> 0;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % 62];
  }
  return out;
}

export default async function BigPage() {
  'use cache';
  cacheLife({ stale: 300, revalidate: 3600, expire: 86400 });
  const seed = Date.now();
  return (
    <main>
      <p id="seed">{seed}</p>
      <pre>{noise(2_500_000, seed)}</pre>
    </main>
  );
}

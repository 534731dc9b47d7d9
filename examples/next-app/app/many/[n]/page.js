import { cacheLife } from '../../../lib/next-cache.js';
import { renderId } from '../../../lib/render-id.js';

export function generateStaticParams() {
  return [{ n: '0' }];
}

// The benchmark's 1,000 ISR pages (/many/0 … /many/999): rendered on first request, then cached.
export default async function ManyPage({ params }) {
  'use cache';
  cacheLife({ stale: 300, revalidate: 3600, expire: 86400 });
  const { n } = await params;
  return (
    <main>
      <h1>Page {n}</h1>
      <p>
        rendered <span id="render">{renderId()}</span>
      </p>
    </main>
  );
}

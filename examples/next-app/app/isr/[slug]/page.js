import { cacheLife, cacheTag } from '../../../lib/next-cache.js';
import { renderId } from '../../../lib/render-id.js';

export function generateStaticParams() {
  return [{ slug: 'a' }];
}

// An ISR page: a static render kept for an hour, regenerated on revalidateTag('isr') or
// revalidatePath('/isr/a').
export default async function IsrPage({ params }) {
  'use cache';
  cacheLife({ stale: 300, revalidate: 3600, expire: 86400 });
  cacheTag('isr');
  const { slug } = await params;
  return (
    <main>
      <h1>ISR {slug}</h1>
      <p>
        rendered <span id="render">{renderId()}</span>
      </p>
    </main>
  );
}

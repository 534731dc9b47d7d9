import { revalidatePath, revalidateTag } from 'next/cache';
import { connection } from 'next/server';

// POST /api/revalidate?tag=isr&profile=max|now  or  ?path=/isr/a
// 'max': stale-while-revalidate; 'now': expire at once ({ expire: 0 }). Next 15 takes no profile.
export async function POST(request) {
  await connection();
  const url = new URL(request.url);
  const tag = url.searchParams.get('tag');
  const path = url.searchParams.get('path');
  if (tag) {
    const profile = url.searchParams.get('profile') === 'max' ? 'max' : { expire: 0 };
    revalidateTag(tag, profile);
  }
  if (path) revalidatePath(path);
  return Response.json({ revalidated: true, tag, path });
}

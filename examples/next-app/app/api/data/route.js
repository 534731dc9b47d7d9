import { connection } from 'next/server';

// The fetch cache: a dynamic handler whose upstream fetch is cached under the tag 'origin'.
export async function GET() {
  await connection();
  const origin = process.env.ORIGIN_URL;
  if (!origin) return Response.json({ error: 'ORIGIN_URL is not set' }, { status: 500 });
  const res = await fetch(`${origin}/data`, { cache: 'force-cache', next: { tags: ['origin'] } });
  return Response.json({ upstream: await res.text() });
}

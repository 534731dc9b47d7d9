import type { CacheResponse, StoredHeaders } from './types';

/** At most this many tags per response; more are ignored (each tag is one read per hit). */
export const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 256;

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(',') : (value ?? '');

/**
 * The tags of a response: `Cache-Tag` (comma-separated, as Cloudflare), `Surrogate-Key`
 * (space-separated, as Fastly) and `res.locals.cacheTags` (a string or a string array).
 */
export function responseTags(headers: StoredHeaders, res: CacheResponse): string[] {
  const tags = new Set<string>();
  const add = (tag: string) => {
    const trimmed = tag.trim();
    if (trimmed && trimmed.length <= MAX_TAG_LENGTH && tags.size < MAX_TAGS) tags.add(trimmed);
  };
  for (const tag of one(headers['cache-tag']).split(',')) add(tag);
  for (const tag of one(headers['surrogate-key']).split(/\s+/)) add(tag);
  const locals = res.locals?.cacheTags;
  if (typeof locals === 'string') add(locals);
  else if (Array.isArray(locals)) for (const tag of locals) if (typeof tag === 'string') add(tag);
  return [...tags];
}

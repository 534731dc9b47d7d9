import type { Runtime } from './runtime';
import { tagVerdict } from './tag-verdict';

/** An entry both handler kinds may serve, and whether a tag made it stale. */
export interface VerifiedEntry<T> {
  entry: T;
  verdict: 'fresh' | 'stale';
  /** The entry object is held by the near cache: hand Next a copy, never this object. */
  shared: boolean;
}

/**
 * The read both handler kinds make: the entry at `key` with the states of the tags remembered for
 * it plus `extraTags` (one round trip), then any tag the entry carries that was not asked for, and
 * the verdict of all of them since `createdAt(entry)`. `usable` may turn an entry down before its
 * tags are read. `undefined` is a miss: absent, unreadable, expired by a tag, or refused.
 */
export async function readVerified<T extends { tags: readonly string[] }>(
  runtime: Runtime<T>,
  key: string,
  extraTags: readonly string[],
  decode: (bytes: Uint8Array) => Promise<T>,
  createdAt: (entry: T) => number,
  usable: (entry: T) => boolean = () => true,
): Promise<VerifiedEntry<T> | undefined> {
  const remembered = runtime.tagsFor(key);
  const known = extraTags.length ? [...new Set([...remembered, ...extraTags])] : remembered;
  for (let attempt = 0; ; attempt++) {
    const hit = await runtime.lookup(key, known, decode);
    if (!hit || !usable(hit.entry)) return undefined;
    const { entry } = hit;
    let states = hit.states;
    const missing = entry.tags.filter((t) => !known.includes(t));
    if (missing.length) {
      const more = await runtime.readTags(missing);
      if (!more) return undefined;
      states = new Map([...states, ...more]);
      runtime.rememberTags(key, entry.tags);
    }
    const verdict = tagVerdict(states, createdAt(entry));
    if (verdict !== 'expired') return { entry, verdict, shared: hit.shared };
    // A near copy may predate the write that followed the revalidation: ask the store once.
    if (!hit.near || attempt > 0) return undefined;
    runtime.forgetNear(key);
  }
}

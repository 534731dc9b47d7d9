import { InvalidArgumentError } from '@momento-http/core';

/** What records a revalidation: one per `cacheHandler` class Next has constructed in this process. */
interface Revalidator {
  invalidate(tags: readonly unknown[], expireSeconds: number | undefined): Promise<void>;
}

/**
 * On `globalThis`: a route handler's copy of this package (bundled by Next) and the handler
 * Next loads itself (not bundled) are separate module instances of one process.
 */
const REGISTRY = Symbol.for('@momento-http/next/revalidators');
type Registry = { [REGISTRY]?: Set<Revalidator> };

const revalidators = (): Set<Revalidator> => {
  const registry = globalThis as Registry;
  registry[REGISTRY] ??= new Set();
  return registry[REGISTRY];
};

/** Called when Next constructs a handler: the handler Next uses is the one revalidated through. */
export function registerRevalidator(revalidator: Revalidator): void {
  revalidators().add(revalidator);
}

/** Next's `'max'` profile reaches handlers as `{ expire: 31536000 }` (one year). */
const MAX_PROFILE_EXPIRE_SECONDS = 31_536_000;

/** Thrown by {@link revalidateTags} when no handler of this package runs in the process. */
export class NoCacheHandlerError extends Error {
  override name = 'NoCacheHandlerError';
}

/**
 * Revalidates `tags` through this process's `cacheHandler` (the one next.config names, made by
 * this package) and resolves once every instance will see it: the new tag state is written to
 * the cache. Rejects when it could not be recorded (the cache down, the key refused, or no
 * handler of this package in the process), so a route handler can answer an error instead of a
 * 200 for a revalidation nobody else will see. Next's `revalidateTag` in a route handler records
 * it after the response (or not at all) and never tells.
 *
 * `profile` as Next's: `'max'` marks the tags stale (served once more while regenerated);
 * `{ expire: 0 }`, the default, expires them at once.
 *
 * @example
 * // app/api/revalidate/route.js — a CMS webhook
 * import { revalidateTags } from '@momento-http/next';
 *
 * export async function POST(request) {
 *   const tag = new URL(request.url).searchParams.get('tag');
 *   try {
 *     await revalidateTags(tag);
 *   } catch (error) {
 *     return Response.json({ revalidated: false, error: String(error) }, { status: 503 });
 *   }
 *   return Response.json({ revalidated: true });
 * }
 */
export async function revalidateTags(
  tags: string | readonly string[],
  profile: 'max' | { expire?: number } = { expire: 0 },
): Promise<void> {
  const list = typeof tags === 'string' ? [tags] : [...tags];
  if (list.length === 0 || !list.every((tag) => typeof tag === 'string' && tag !== '')) {
    throw new InvalidArgumentError('tags must be a non-empty string or array of non-empty strings');
  }
  const expire = profile === 'max' ? MAX_PROFILE_EXPIRE_SECONDS : profile?.expire;
  if (expire !== undefined && !(typeof expire === 'number' && expire >= 0)) {
    throw new InvalidArgumentError(
      `profile.expire must be a number of seconds >= 0, got ${expire}`,
    );
  }
  const handlers = [...revalidators()];
  if (handlers.length === 0) {
    throw new NoCacheHandlerError(
      "no @momento-http/next cacheHandler has been constructed in this process: set next.config's cacheHandler to this package's handler",
    );
  }
  // Started in one turn: handlers sharing a tag store write each tag once.
  await Promise.all(handlers.map((handler) => handler.invalidate(list, expire)));
}

import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
// NEXT_CACHE_HANDLER=next keeps Next's built-in caches (the benchmark's baseline);
// NEXT_CACHE_HANDLER=map swaps in a trivial in-process handler (the benchmark's measure of what
// Next spends on any custom handler); NEXT_CACHE_HANDLER=forte the peer handler
// @fortedigital/nextjs-cache-handler over redis (bench-forte-cache-handler.mjs; it has no 'use
// cache' handler, so Next's own keeps those). Read at `next start` too, so one build serves all.
const choice = process.env.NEXT_CACHE_HANDLER;

/** @type {import('next').NextConfig} */
export default {
  cacheComponents: true,
  partialPrefetching: false,
  ...(choice === 'forte' && { cacheHandler: here('./bench-forte-cache-handler.mjs') }),
  ...(choice !== 'next' &&
    choice !== 'forte' && {
      cacheHandler: here(
        choice === 'map' ? './bench-map-cache-handler.mjs' : './cache-handler.mjs',
      ),
      cacheHandlers: {
        default: here('./use-cache-handler.mjs'),
        remote: here('./use-cache-handler.mjs'),
      },
      // Momento is the one shared copy: no per-instance memory cache in front of it.
      cacheMaxMemorySize: 0,
    }),
};

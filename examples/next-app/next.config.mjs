import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
// NEXT_CACHE_HANDLER=next keeps Next's built-in caches (the benchmark's baseline);
// NEXT_CACHE_HANDLER=map swaps in a trivial in-process handler (the benchmark's measure of what
// Next spends on any custom handler). Read at `next start` too, so one build serves all three.
const choice = process.env.NEXT_CACHE_HANDLER;

/** @type {import('next').NextConfig} */
export default {
  cacheComponents: true,
  partialPrefetching: false,
  ...(choice !== 'next' && {
    cacheHandler: here(choice === 'map' ? './bench-map-cache-handler.mjs' : './cache-handler.mjs'),
    cacheHandlers: {
      default: here('./use-cache-handler.mjs'),
      remote: here('./use-cache-handler.mjs'),
    },
    // Momento is the one shared copy: no per-instance memory cache in front of it.
    cacheMaxMemorySize: 0,
  }),
};

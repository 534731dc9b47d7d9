import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
// NEXT_CACHE_HANDLER=next keeps Next's built-in caches (the benchmark's baseline).
const momento = process.env.NEXT_CACHE_HANDLER !== 'next';

/** @type {import('next').NextConfig} */
export default {
  cacheComponents: true,
  partialPrefetching: false,
  ...(momento && {
    cacheHandler: here('./cache-handler.mjs'),
    cacheHandlers: {
      default: here('./use-cache-handler.mjs'),
      remote: here('./use-cache-handler.mjs'),
    },
    // Momento is the one shared copy: no per-instance memory cache in front of it.
    cacheMaxMemorySize: 0,
  }),
};

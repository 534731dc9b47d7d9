import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const momento = process.env.NEXT_CACHE_HANDLER !== 'next';

/** Next 15.5: 'use cache' handlers live under `experimental`. @type {import('next').NextConfig} */
export default {
  eslint: { ignoreDuringBuilds: true },
  experimental: {
    useCache: true,
    ...(momento && {
      cacheHandlers: {
        default: here('./use-cache-handler.mjs'),
        remote: here('./use-cache-handler.mjs'),
      },
    }),
  },
  ...(momento && { cacheHandler: here('./cache-handler.mjs'), cacheMaxMemorySize: 0 }),
};

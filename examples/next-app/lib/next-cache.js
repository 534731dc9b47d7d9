// Next 16 names; the Next 15 build of this app swaps in the `unstable_` ones.
export { cacheLife, cacheTag } from 'next/cache';
